"""Forms of the core pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.choices import OrgLevel
from portal.models import OrgUnit


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class OtpForm(forms.Form):
    token = forms.CharField(
        label="动态验证码",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class MobileCodeForm(forms.Form):
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        help_text="6 位数字，10 分钟内有效。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class RegisterForm(forms.Form):
    mobile = forms.CharField(
        label="手机号",
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    real_name = forms.CharField(
        label="真实姓名", max_length=20, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    community = forms.ChoiceField(label="所在社区", choices=())
    password = forms.CharField(
        label="密码",
        help_text="至少 8 个字符，不能使用常见密码或纯数字。",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="再次输入密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    agree = forms.BooleanField(
        label="我已阅读并同意《个人信息保护告知书》：平台仅为办理社区事务使用我的信息。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        communities = (
            OrgUnit.objects.filter(level=OrgLevel.COMMUNITY)
            .select_related("parent", "parent__parent")
            .order_by("code")[:3000]
        )
        self.fields["community"].choices = [("", "请选择社区")] + [
            (
                c.code,
                f"{c.parent.parent.name if c.parent and c.parent.parent else ''} {c.parent.name if c.parent else ''} {c.name}",
            )
            for c in communities
        ]

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class StaffCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    real_name = forms.CharField(label="真实姓名", max_length=50)
    email = forms.EmailField(label="电子邮箱", required=False)
    role = forms.ChoiceField(label="角色", choices=())
    org = forms.ChoiceField(label="所在组织", choices=())
    department = forms.ChoiceField(label="部门（部门工作人员必选）", choices=(), required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, help_text="至少 12 个字符。")


class OrgImportForm(forms.Form):
    file = forms.FileField(label="组织树文件（CSV 或 Excel）")


def form_errors_from(form, exc, *, request=None, as_message: bool = False) -> None:
    """Show a :class:`~portal.errors.DomainError` on a form — the one helper every page uses.

    Each message in ``exc.fields`` goes under its field (or at the top of the form when the form has no such
    field); the error's own message goes at the top of the form once, or into the page's messages (``request``
    given, and ``as_message`` set or no form — for actions whose page shows no form errors).
    """
    from django.contrib import messages

    placed = set()
    for field, message in exc.fields.items():
        if form is None:
            continue
        form.add_error(field if field in form.fields else None, message)
        if field in form.fields:
            placed.add(message)
    if request is not None and (as_message or form is None):
        messages.error(request, exc.message)
    elif form is not None and exc.message not in form.non_field_errors() and exc.message not in placed:
        # The error once: a message already shown under its field is not repeated at the top.
        form.add_error(None, exc.message)
