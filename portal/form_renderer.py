"""The form renderer of the portal (``FORM_RENDERER``): Django's own, with its commonest widget templates written
out in Python.

Every field of every form on a page goes through the template engine two or three times (its label, its widget,
each ``<option>`` of a select and each attribute through ``{% include %}``), and on a form page that was most of the
request: the complaint form spent two thirds of its time there. The templates below are rendered here to the very
same bytes (``tests/portal/test_form_renderer.py`` renders every form of the portal both ways and compares them);
any other template, or a widget whose option template is not Django's, goes through the templates as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs

WIDGETS = "django/forms/widgets/"
OPTION_TEMPLATE = WIDGETS + "select_option.html"

#: Django's widget templates that are exactly ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TEMPLATES = frozenset(
    WIDGETS + name
    for name in (
        "input.html",
        "checkbox.html",
        "color.html",
        "date.html",
        "datetime.html",
        "email.html",
        "file.html",
        "hidden.html",
        "number.html",
        "password.html",
        "search.html",
        "tel.html",
        "text.html",
        "time.html",
        "url.html",
    )
)


class Fallback(Exception):
    """This widget is not one written out here: render its template."""


def _value(value: Any) -> str:
    """``{{ value }}`` (``render_value_in_context`` with autoescaping on, the project's time zone and locale)."""
    value = localize(template_localtime(value), use_l10n=None)
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def _stringformat(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``."""
    text = str(value)  # "%s" % value, tuples included
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: Mapping[str, Any] | None) -> str:
    """``django/forms/widgets/attrs.html`` (and ``django/forms/attrs.html``, the same with ``attrs``)."""
    out = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        out.append(" " + _value(name) if value is True else f' {_value(name)}="{_stringformat(value)}"')
    return "".join(out)


def _input(widget: Mapping[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_stringformat(widget["value"])}"'
    return f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _option(option: Mapping[str, Any]) -> str:
    if option["template_name"] != OPTION_TEMPLATE:
        raise Fallback
    return (
        f'<option value="{_stringformat(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_value(option['label'])}</option>\n"
    )


def _select(widget: Mapping[str, Any]) -> str:
    out = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in group_choices:
            out.append("\n  " + _option(option))
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(widget: Mapping[str, Any]) -> str:
    value = _value(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _label(context: Mapping[str, Any]) -> str:
    if not context["use_tag"]:
        return _value(context["label"])
    tag = _value(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_value(context['label'])}</{tag}>"


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **{name: lambda c: _input(c["widget"]) for name in INPUT_TEMPLATES},
    WIDGETS + "select.html": lambda c: _select(c["widget"]),
    WIDGETS + "textarea.html": lambda c: _textarea(c["widget"]),
    "django/forms/label.html": _label,
}


class PortalFormRenderer(DjangoTemplates):
    """Django's template renderer, with the templates of ``RENDERERS`` written out in Python (same output)."""

    def render(self, template_name, context, request=None):
        render = RENDERERS.get(template_name)
        if render is not None:
            try:
                return render(context).strip()
            except Fallback:
                pass
        return super().render(template_name, context, request=request)
