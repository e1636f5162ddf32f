"""Input validated once: one typed schema per service input, shared by the page's form and the JSON API.

A schema is a Django form bound to a frozen dataclass, the typed value the service takes::

    @dataclass(frozen=True, kw_only=True)
    class RevokeInput:
        reason: str

    class RevokeSchema(Schema[RevokeInput]):
        reason = schemas.text("撤销理由", required=True)

- **the page** builds its form from the schema (a subclass adds widgets, choices and page-only fields such as an
  upload) and, after ``form.is_valid()``, hands ``form.value()`` to the service;
- **the API** declares its body as a :class:`Body` naming the schema (documented in the OpenAPI schema from the
  fields; any JSON object is accepted there) and calls ``RevokeSchema.parse(payload)``, which raises one
  :class:`~portal.errors.DomainError` (400, ``{"error": {"code": "invalid", "message", "fields"}}``) on bad input;
- **the service** takes the dataclass as a keyword-only argument: it never sees raw input.

Nested input (a scheme's dimensions, each with its indicators) is a :func:`rows` field: a list of JSON objects,
each checked by a row schema of its own; a wrong row is named by its place in Chinese (第2个维度“为民服务”的满分…).

Why Django form fields: they convert and check, give the Chinese messages, and render the HTML — one declaration
does all three. The field factories below make every field refuse the wrong JSON type (a list where text is due)
with a Chinese message instead of turning it into text; HTML forms only ever send text, so nothing changes there.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar, get_args, get_origin

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from pydantic import BaseModel, ConfigDict

from portal.errors import DomainError

T = TypeVar("T")

#: The message of a refused input when the schema names none of its own and more than one field is wrong.
DEFAULT_MESSAGE = "提交的内容不完整或有误，请检查标出的字段。"

#: Separators of codes typed into one text box (or sent as one string): commas, 、, semicolons, white space.
CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")
#: Entries of a list typed one a line.
LINE_SEPARATORS = re.compile(r"[\r\n]+")


# ── Fields ─────
# Each factory's first argument is the field's name in messages (请填写{name}。); ``label=`` changes what the page
# shows above it when that differs (工作量 vs 工作量（小时/社区/月）).
# ────────────────────────────────────────────────────────────────────────────────────────


class _RawCheckbox(forms.CheckboxInput):
    """A checkbox that hands the raw value to the field (Django's turns any non-empty value, even ``"0"`` or a
    JSON object, into ``True``)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class TextField(forms.CharField):
    """Text, stripped; anything but text (a JSON number, list or object) is refused."""

    def to_python(self, value: Any) -> str:
        if value is not None and not isinstance(value, str):
            raise ValidationError(self.error_messages["type"], code="type")
        return str(super().to_python(value))


class DecimalField(forms.DecimalField):
    """A number (JSON number or text); ``true``/``false`` and lists are refused. With ``fixed`` the value has
    exactly ``decimal_places`` decimals (``20`` → ``20.0``), as the database will store it and history show it."""

    fixed = False

    def clean(self, value: Any) -> Decimal | None:
        number: Decimal | None = super().clean(value)
        if number is not None and self.fixed and self.decimal_places is not None:
            number = number.quantize(Decimal(1).scaleb(-self.decimal_places))
        return number

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # the stubs derive it from IntegerField
        if isinstance(value, bool) or not (value is None or isinstance(value, str | int | float | Decimal)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IntegerField(forms.IntegerField):
    """A whole number (JSON number or text); ``true``/``false`` and lists are refused."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, bool) or not (value is None or isinstance(value, str | int | float)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class DateField(forms.DateField):
    """An ISO date ``YYYY-MM-DD`` (the HTML date input sends the same)."""

    input_formats = ["%Y-%m-%d"]

    def to_python(self, value: Any) -> date | None:
        if value is not None and not isinstance(value, str | date):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class BooleanField(forms.BooleanField):
    """A yes/no: JSON ``true``/``false``, or the text a checkbox or a client sends (``on``, ``1``, ``false``, …)."""

    widget = _RawCheckbox
    FALSE = frozenset({"", "0", "false", "off", "no"})

    def to_python(self, value: Any) -> bool:
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, str):
            return value.strip().lower() not in self.FALSE
        raise ValidationError(self.error_messages["type"], code="type")


class ChoiceField(forms.ChoiceField):
    """One of the given values (text)."""

    def to_python(self, value: Any) -> str:
        if value is not None and not isinstance(value, str):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return str(super().to_python(value))


class CodeListField(forms.Field):
    """A list of codes: a JSON list of strings, several values of one form field, or one text with separators
    (``separators``; a textarea of lines shows the list one entry a line, ``joiner``). Blank entries and repeats
    are dropped; the order stays."""

    widget = forms.SelectMultiple

    def __init__(
        self,
        *,
        max_items: int = 6000,
        max_item_length: int = 100,
        separators: re.Pattern[str] = CODE_SEPARATORS,
        joiner: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.max_items = max_items
        self.max_item_length = max_item_length
        self.separators = separators
        self.joiner = joiner
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if self.joiner is not None and isinstance(value, list | tuple):
            return self.joiner.join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        if isinstance(value, str):
            parts: list[Any] = self.separators.split(value)
        elif isinstance(value, list | tuple):
            parts = list(value)
        else:
            raise ValidationError(self.error_messages["type"], code="type")
        if any(not isinstance(p, str | int) or isinstance(p, bool) for p in parts):
            raise ValidationError(self.error_messages["type"], code="type")
        codes: list[str] = []
        for part in parts:
            for code in (c.strip() for c in self.separators.split(str(part))):
                if code and code not in codes:
                    codes.append(code)
        if len(codes) > self.max_items:
            raise ValidationError(self.error_messages["max_items"], code="max_items")
        if any(len(code) > self.max_item_length for code in codes):
            raise ValidationError(self.error_messages["max_item_length"], code="max_item_length")
        return codes

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


F = TypeVar("F", bound=forms.Field)


def _named(field: F, name: str) -> F:
    """Remember the field's name in messages: a row of a :class:`RowsField` joins a message that starts with it
    by “的” (第2个维度的满分应为数字。)."""
    field.message_name = name  # type: ignore[attr-defined]
    return field


class RowsField(forms.Field):
    """A list of rows (JSON objects), each checked by a row schema and given as that schema's typed value.

    A wrong row is named by its place — ``position`` with ``{n}`` its number from 1, and the row's own name when
    ``named_by`` names one of its fields — and every wrong field of every row is reported (up to
    :attr:`MAX_PROBLEMS`): 第2个维度“为民服务”的满分应为数字。 Rows may hold rows (a dimension's indicators):
    the inner place follows the outer one (第2个维度“为民服务”的第1项指标“…”的分值应为数字。).

    A page that edits the rows as text (one line per row) sets ``parse_text`` (text → list of JSON objects; it
    raises ``ValidationError`` naming the line) and ``render_text`` (typed rows → text) on its form's field; the
    API sends the JSON list.
    """

    MAX_PROBLEMS = 20

    def __init__(
        self,
        row_schema: type[Schema[Any]],
        *,
        position: str,
        named_by: str | None = None,
        max_items: int = 200,
        **kwargs: Any,
    ) -> None:
        self.row_schema = row_schema
        self.position = position
        self.named_by = named_by
        self.max_items = max_items
        self.parse_text: Callable[[str], list[Any]] | None = None
        self.render_text: Callable[[list[Any]], str] | None = None
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if self.render_text is not None and isinstance(value, list | tuple):
            return self.render_text(list(value))
        return value

    def to_python(self, value: Any) -> list[Any]:
        if value is None or (isinstance(value, str) and not value.strip()):
            return []
        if isinstance(value, str) and self.parse_text is not None:
            value = self.parse_text(value)
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["type"], code="type")
        if len(value) > self.max_items:
            raise ValidationError(self.error_messages["max_items"], code="max_items")
        rows: list[Any] = []
        problems: list[str] = []
        for n, raw in enumerate(value, start=1):
            where = self.position.format(n=n)
            if isinstance(raw, BaseModel):
                raw = raw.model_dump()
            if not isinstance(raw, Mapping):
                problems.append(f"{where}应为 JSON 对象。")
                continue
            name = raw.get(self.named_by) if self.named_by else None
            if isinstance(name, str) and name.strip():
                where += f"“{name.strip()}”"
            form = self.row_schema(data=raw)
            if form.is_valid():
                rows.append(form.value())
                continue
            for field_name, errors in form.errors.as_data().items():
                field = form.fields.get(field_name)
                for error in errors:
                    for message in error.messages:
                        problems.append(_at(where, field, error.code, message))
        if problems:
            raise ValidationError([ValidationError(p, code="row") for p in problems[: self.MAX_PROBLEMS]])
        return rows

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


def _at(where: str, field: forms.Field | None, code: str | None, message: str) -> str:
    """A row's message with its place: joined by “的” when the message starts with the field's name or is itself
    a place (a row inside the row), else by “：” (第2个维度：请填写名称。)."""
    name = getattr(field, "message_name", None)
    if code == "row" or (name and message.startswith(name)):
        return f"{where}的{message}"
    return f"{where}：{message}"


def _messages(name: str, overrides: Mapping[str, str] | None, **defaults: str) -> dict[str, str]:
    out = {"required": f"请填写{name}。", **defaults}
    out.update(overrides or {})
    return out


def text(
    name: str,
    *,
    required: bool = False,
    max_length: int = 5000,
    messages: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> TextField:
    """Text of at most ``max_length`` characters, stripped (optional text is ``""``)."""
    return _named(
        TextField(
            label=kwargs.pop("label", name),
            required=required,
            max_length=max_length,
            error_messages=_messages(
                name,
                messages,
                max_length=f"{name}不能超过 {max_length} 个字。",
                type=f"{name}应为文本。",
            ),
            **kwargs,
        ),
        name,
    )


def decimal(
    name: str,
    *,
    required: bool = False,
    min_value: Decimal | int = 0,
    max_value: Decimal | int = 1_000_000_000,
    decimal_places: int | None = None,
    fixed: bool = False,
    messages: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> DecimalField:
    """A number between ``min_value`` (0: not negative) and ``max_value`` (``None`` when optional and blank);
    ``fixed``: given with exactly ``decimal_places`` decimals."""
    field = _named(
        DecimalField(
            label=kwargs.pop("label", name),
            required=required,
            min_value=Decimal(min_value),
            max_value=Decimal(max_value),
            decimal_places=decimal_places,
            error_messages=_messages(
                name,
                messages,
                invalid=f"{name}应为数字。",
                min_value=f"{name}不能为负数。" if min_value == 0 else f"{name}不能小于 {min_value}。",
                max_value=f"{name}数值过大。",
                max_decimal_places=f"{name}最多保留 {decimal_places} 位小数。",
            ),
            **kwargs,
        ),
        name,
    )
    field.fixed = fixed
    return field


def integer(
    name: str,
    *,
    required: bool = False,
    min_value: int | None = None,
    max_value: int | None = None,
    messages: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> IntegerField:
    """A whole number (``None`` when optional and blank)."""
    return _named(
        IntegerField(
            label=kwargs.pop("label", name),
            required=required,
            min_value=min_value,
            max_value=max_value,
            error_messages=_messages(
                name,
                messages,
                invalid=f"{name}应为整数。",
                min_value=f"{name}不能小于 {min_value}。",
                max_value=f"{name}不能大于 {max_value}。",
            ),
            **kwargs,
        ),
        name,
    )


def day(
    name: str, *, required: bool = True, messages: Mapping[str, str] | None = None, **kwargs: Any
) -> DateField:
    """A date ``YYYY-MM-DD`` (``None`` when optional and blank); the page shows a date picker."""
    kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    return _named(
        DateField(
            label=kwargs.pop("label", name),
            required=required,
            error_messages=_messages(name, messages, invalid=f"{name}格式应为 YYYY-MM-DD。"),
            **kwargs,
        ),
        name,
    )


def boolean(name: str, *, messages: Mapping[str, str] | None = None, **kwargs: Any) -> BooleanField:
    """A yes/no (absent is no)."""
    return _named(
        BooleanField(
            label=kwargs.pop("label", name),
            required=False,
            error_messages=_messages(name, messages, type=f"{name}应为 true 或 false。"),
            **kwargs,
        ),
        name,
    )


def choice(
    name: str,
    choices: Any,
    *,
    required: bool = True,
    messages: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> ChoiceField:
    """One of ``choices`` (Django choices: a list of pairs or a ``TextChoices``' ``.choices``)."""
    return _named(
        ChoiceField(
            label=kwargs.pop("label", name),
            choices=choices,
            required=required,
            error_messages=_messages(
                name, messages, required=f"请选择{name}。", invalid_choice=f"{name}的取值不在允许范围内。"
            ),
            **kwargs,
        ),
        name,
    )


def codes(
    name: str,
    *,
    required: bool = False,
    max_items: int = 6000,
    max_item_length: int = 100,
    messages: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> CodeListField:
    """A list of codes or words (org units, keywords …): a JSON list, repeated form values or one text with
    separators (commas, 、, semicolons, white space)."""
    return _named(
        CodeListField(
            label=kwargs.pop("label", name),
            required=required,
            max_items=max_items,
            max_item_length=max_item_length,
            error_messages=_messages(
                name,
                messages,
                required=f"请选择{name}。",
                type=f"{name}应为代码列表。",
                max_items=f"{name}过多（最多 {max_items} 个）。",
                max_item_length=f"{name}每项不能超过 {max_item_length} 个字。",
            ),
            **kwargs,
        ),
        name,
    )


def lines(
    name: str,
    *,
    required: bool = False,
    max_items: int = 100,
    max_item_length: int = 200,
    messages: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> CodeListField:
    """A list of short texts (materials, steps …): a JSON list of strings, or a text box with one entry a line;
    entries are stripped, blank lines and repeats dropped."""
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
    return _named(
        CodeListField(
            label=kwargs.pop("label", name),
            required=required,
            max_items=max_items,
            max_item_length=max_item_length,
            separators=LINE_SEPARATORS,
            joiner="\n",
            error_messages=_messages(
                name,
                messages,
                type=f"{name}应为文本列表。",
                max_items=f"{name}过多（最多 {max_items} 项）。",
                max_item_length=f"{name}每项不能超过 {max_item_length} 个字。",
            ),
            **kwargs,
        ),
        name,
    )


def rows(
    name: str,
    row_schema: type[Schema[Any]],
    *,
    position: str,
    named_by: str | None = None,
    required: bool = False,
    max_items: int = 200,
    messages: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> RowsField:
    """A list of rows, each checked by ``row_schema`` (a JSON list of objects): ``position`` names a row
    (``"第{n}个维度"``), ``named_by`` the row's field that adds its name to the place."""
    return _named(
        RowsField(
            row_schema,
            position=position,
            named_by=named_by,
            max_items=max_items,
            label=kwargs.pop("label", name),
            required=required,
            error_messages=_messages(
                name,
                messages,
                type=f"{name}应为列表。",
                max_items=f"{name}过多（最多 {max_items} 个）。",
            ),
            **kwargs,
        ),
        name,
    )


# ── Schemas ────────────────────────────────────────────────────────────────────────────────────────────


class Schema(forms.Form, Generic[T]):
    """One service input: its fields (a Django form) and the frozen dataclass it yields.

    ``message`` is the sentence of a refusal with more than one wrong field (with one, that field's own message);
    ``refusal_prefix`` instead makes the sentence name every wrong field's message after it (“投诉未提交：请填写…；…”), for
    inputs whose users should read everything to fix at once. Cross-field rules go in ``clean()`` with
    ``self.add_error(field, message)``, as on any Django form.
    """

    #: the frozen dataclass this schema yields (taken from ``Schema[TheInput]``)
    value_type: ClassVar[type[Any]]
    message: ClassVar[str | None] = None
    refusal_prefix: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for base in getattr(cls, "__orig_bases__", ()):
            if get_origin(base) is Schema:
                (value_type,) = get_args(base)
                params = getattr(value_type, "__dataclass_params__", None)
                if not (isinstance(value_type, type) and params is not None and params.frozen):
                    raise TypeError(f"{cls.__name__}: the value of a schema is a frozen dataclass.")
                cls.value_type = value_type

    # the page and the API

    def value(self) -> T:
        """The typed value of valid input; raises the refusal (a ``DomainError``) otherwise."""
        if not self.is_valid():
            raise self.refusal()
        names = [f.name for f in dataclasses.fields(self.value_type)]
        return self.value_type(**{n: self.cleaned_data[n] for n in names})  # type: ignore[no-any-return]

    def refusal(self) -> DomainError:
        """The refusal of invalid input: every wrong field with its first message."""
        fields = {
            name: str(errors[0])
            for name, errors in self.errors.items()
            if name != NON_FIELD_ERRORS and errors
        }
        general = [str(e) for e in self.errors.get(NON_FIELD_ERRORS, [])]
        if general:
            message = general[0]
        elif self.refusal_prefix is not None:
            message = (
                self.refusal_prefix + "；".join(dict.fromkeys(m.rstrip("。") for m in fields.values())) + "。"
            )
        elif self.message:
            message = self.message
        elif len(fields) == 1:
            message = next(iter(fields.values()))
        else:
            message = DEFAULT_MESSAGE
        return DomainError(message, fields=fields)

    @classmethod
    def parse(cls, data: Mapping[str, Any] | BaseModel, **kwargs: Any) -> T:
        """Check ``data`` (a JSON object, a ``QueryDict`` or an API body) and return the typed value; bad input
        raises one ``DomainError`` (400) naming every wrong field. ``kwargs`` go to the form (context a
        schema needs)."""
        if isinstance(data, BaseModel):
            data = data.model_dump()
        if not isinstance(data, Mapping):
            raise DomainError("请求体应为 JSON 对象。")
        return cls(data=data, **kwargs).value()


class Body(BaseModel):
    """The JSON body of an API operation whose input is a schema::

        class RevokeIn(schemas.Body):
            input_schema = RevokeSchema

    Any JSON object passes here (anything else answers 400 in the API's error format); the handler checks it
    once with ``RevokeSchema.parse(payload)``. The OpenAPI document lists the schema's fields, types and limits.
    """

    model_config = ConfigDict(extra="allow", json_schema_extra=lambda schema, model: _document(schema, model))

    input_schema: ClassVar[type[Schema[Any]]]


def _document(schema: dict[str, Any], model: Any) -> None:
    fields = model.input_schema.base_fields
    schema["properties"] = {name: json_schema_of(field) for name, field in fields.items()}
    required = [name for name, field in fields.items() if field.required]
    if required:
        schema["required"] = required
    if model.input_schema.__doc__:
        schema["description"] = model.input_schema.__doc__


def json_schema_of(field: forms.Field) -> dict[str, Any]:
    """How the API documentation shows one field: JSON type, limits, label as title, help text."""
    out: dict[str, Any]
    if isinstance(field, forms.BooleanField):
        out = {"type": "boolean"}
    elif isinstance(field, forms.DecimalField | forms.IntegerField):
        kind = "integer" if isinstance(field, forms.IntegerField) else "number"
        out = {"anyOf": [{"type": kind}, {"type": "string"}]}
        for attr, key in (("min_value", "minimum"), ("max_value", "maximum")):
            bound = getattr(field, attr, None)
            if bound is not None:
                out["anyOf"][0][key] = float(bound) if isinstance(bound, Decimal) else bound
    elif isinstance(field, forms.DateField):
        out = {"type": "string", "format": "date"}
    elif isinstance(field, RowsField):
        row_fields = field.row_schema.base_fields
        item: dict[str, Any] = {
            "type": "object",
            "properties": {name: json_schema_of(f) for name, f in row_fields.items()},
        }
        required = [name for name, f in row_fields.items() if f.required]
        if required:
            item["required"] = required
        out = {"type": "array", "items": item, "maxItems": field.max_items}
    elif isinstance(field, CodeListField):
        out = {"type": "array", "items": {"type": "string"}, "maxItems": field.max_items}
    elif isinstance(field, forms.ChoiceField):
        choices: Any = field.choices
        flat = [
            pair
            for key, value in choices
            for pair in (value if isinstance(value, list | tuple) else [(key, value)])
        ]
        out = {"type": "string", "enum": [str(k) for k, _ in flat if k != ""]}
    else:
        out = {"type": "string"}
        if getattr(field, "max_length", None):
            out["maxLength"] = field.max_length  # type: ignore[attr-defined]
    if field.label:
        out["title"] = str(field.label)
    if field.help_text:
        out["description"] = str(field.help_text)
    return out


__all__ = [
    "DEFAULT_MESSAGE",
    "Body",
    "Schema",
    "boolean",
    "choice",
    "codes",
    "day",
    "decimal",
    "integer",
    "json_schema_of",
    "lines",
    "rows",
    "text",
]
