"""Forms of supervision pages: the schemas of ``supervision/schemas.py`` (the one check of every input), with the
page-only fields a schema does not hold — uploads, and the department picked from a list. Pages whose input is
exactly a schema use the schema itself as their form."""

from __future__ import annotations

from typing import Any

from django import forms

from portal import schemas
from portal.models import Department
from supervision.schemas import AppealSchema, ComplaintSchema, NoteSchema


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ComplaintForm(ComplaintSchema):
    """The filing page: the department from the list of registered ones, or typed when it is not there; the
    schema's ``target_department`` is whichever was given."""

    department = forms.ModelChoiceField(
        label="被投诉部门",
        queryset=Department.objects.select_related("org").order_by("org__code", "name"),
        required=False,
        empty_label="（请选择；不在列表中请在下方填写）",
    )
    department_text = schemas.text("被投诉部门", label="被投诉部门（列表中没有时填写）", max_length=100)
    target_department = schemas.text("被投诉部门", max_length=100, widget=forms.HiddenInput)
    evidence = MultipleFileField(
        label="证据材料", required=False, help_text="JPG、PNG 图片或 PDF，可多选，最多 10 个"
    )
    field_order = [
        "category",
        "department",
        "department_text",
        "community",
        "task_title",
        "happened_on",
        "description",
        "evidence",
        "anonymous",
        "name",
        "contact",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.pdf"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        department = data.get("department")
        data["target_department"] = department.code if department else data.get("department_text", "")
        if not data["target_department"] and "department_text" not in self.errors:
            self.add_error("department_text", "请选择或填写被投诉的部门。")
        return data


class TrackForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=40)


class NoteForm(NoteSchema):
    evidence = MultipleFileField(label="调查材料", required=False)


class AppealForm(AppealSchema):
    photos = MultipleFileField(label="照片（可选）", required=False, help_text="JPG、PNG，最多 6 张")
