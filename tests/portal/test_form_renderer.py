"""The portal's form renderer writes Django's commonest widget templates out in Python: a form must look exactly
as it did when every field went through the templates — same bytes, whatever the values, errors or language."""

from __future__ import annotations

import datetime
import importlib
import inspect
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from portal.form_renderer import RENDERERS, PortalFormRenderer

pytestmark = pytest.mark.django_db

ODD = "<b>\"引号\" & '单引号'</b>"
MODULES = [
    "portal.forms",
    "admission.forms",
    "admission.schemas",
    "certificates.forms",
    "certificates.schemas",
    "checklists.forms",
    "checklists.schemas",
    "evaluations.forms",
    "evaluations.schemas",
    "supervision.forms",
    "supervision.schemas",
    "taskcheck.forms",
    "reports.forms",
]


class EveryWidget(forms.Form):
    """Each widget the renderer writes out, with the attributes and values that test its escaping."""

    text = forms.CharField(label=gettext_lazy("名称"), max_length=20, help_text="帮助")
    optional = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"placeholder": ODD, "data-x": True})
    )
    hidden_flag = forms.CharField(required=False, widget=forms.TextInput(attrs={"disabled": False, "n": 3}))
    email = forms.EmailField()
    number = forms.IntegerField(min_value=0)
    amount = forms.DecimalField(max_digits=6, decimal_places=2)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField()
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    upload = forms.FileField(required=False)
    agree = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    choice = forms.ChoiceField(choices=[("", "（请选择）"), ("a", "甲"), ("b&c", ODD), (3, 3)])
    grouped = forms.ChoiceField(
        choices=[
            ("一组", [("1", "一"), ("2", mark_safe("<i>二</i>"))]),
            ("x", "不在组里"),
            (ODD, [("3", "三")]),
        ]
    )
    many = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙"), ("c", "丙")])
    dated = forms.TypedChoiceField(
        choices=[(datetime.date(2026, 1, 2), datetime.date(2026, 1, 2))], coerce=str
    )
    radio = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect)
    ticks = forms.MultipleChoiceField(
        choices=[("a", "甲")], widget=forms.CheckboxSelectMultiple, required=False
    )


BOUND = {
    "text": ODD,
    "optional": "",
    "email": "不是邮箱",
    "number": "12",
    "amount": "1234.5",
    "day": "2026-02-30",
    "moment": "2026-01-02 03:04",
    "secret": ODD,
    "hidden": ODD,
    "agree": "on",
    "note": f"第一行\n{ODD}",
    "choice": "b&c",
    "grouped": "2",
    "many": ["a", "c"],
    "radio": "b",
}


def both_ways(form: forms.BaseForm) -> tuple[str, str]:
    """The form's page markup (every field with its label, as ``portal/_form_fields.html`` shows it) rendered
    by Django's template renderer and by the portal's."""

    def markup(renderer) -> str:
        form.renderer = renderer
        return "\n".join(
            f"{field.label_tag()}{field.label_tag(label_suffix='', attrs={'class': ODD})}{field}"
            for field in form
        )

    return markup(DjangoTemplates()), markup(PortalFormRenderer())


def project_forms() -> list[type[forms.BaseForm]]:
    found = []
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == name
                and getattr(cls, "base_fields", None)
            ):
                found.append(cls)
    return found


def test_the_portal_renders_forms_with_its_renderer():
    assert isinstance(get_default_renderer(), PortalFormRenderer)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("data", [None, BOUND], ids=["empty", "bound-with-errors"])
def test_every_widget_looks_the_same(language, data):
    with translation.override(language):
        form = EveryWidget(
            data,
            initial={"text": ODD, "choice": "a", "day": datetime.date(2026, 3, 4), "amount": Decimal("1.50")},
        )
        django_html, portal_html = both_ways(form)
    assert portal_html == django_html
    assert "&lt;b&gt;&quot;引号&quot; &amp; &#x27;单引号&#x27;&lt;/b&gt;" in portal_html  # escaped, not raw
    assert "<i>二</i>" in portal_html  # a label marked safe stays markup


def test_every_form_of_the_portal_looks_the_same():
    compared = []
    for cls in project_forms():
        try:
            empty = cls()
        except TypeError:  # a form that needs its page's arguments (compared through its page's tests)
            continue
        for form in (empty, cls({name: ODD for name in empty.fields})):
            django_html, portal_html = both_ways(form)
            assert portal_html == django_html, cls.__qualname__
        compared.append(cls.__qualname__)
    assert len(compared) >= 15, compared


def test_a_widget_with_its_own_option_template_goes_through_the_templates():
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    class Form(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "甲")], widget=Marked)

    django_html, portal_html = both_ways(Form())
    assert portal_html == django_html
    assert '<label><input type="select" name="pick" value="a">' in portal_html  # radio_option.html's markup


def test_the_written_out_templates_are_djangos():
    # A template written out here that Django no longer ships (or renamed) would never be asked for.
    renderer = DjangoTemplates()
    for name in RENDERERS:
        renderer.get_template(name)
