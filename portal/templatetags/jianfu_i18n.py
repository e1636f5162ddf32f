"""Proper names on English pages: ``{{ org.name|zh }}`` marks a Chinese name that is not translated.

The English pages are whole except for proper names (organisations, item titles, departments, laws). Each such
name is wrapped in ``<span lang="zh-CN">`` — screen readers pronounce it in Chinese, and
``tests/portal/test_i18n_public.py`` allows Chinese characters only inside elements marked this way.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language, gettext

register = template.Library()


def _chinese_page() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


@register.filter
def zh(value):
    """``<span lang="zh-CN">value</span>`` (escaped) on a page in another language; on a Chinese page the value
    as it is (the page's own language). Empty values stay empty."""
    if value is None or value == "":
        return ""
    if _chinese_page():
        return conditional_escape(value)
    return format_html('<span lang="zh-CN">{}</span>', value)


@register.filter
def typed(value):
    """``<span data-user-text>value</span>``: what the visitor typed, echoed back in any language."""
    if value is None or value == "":
        return ""
    if _chinese_page():
        return conditional_escape(value)
    return format_html("<span data-user-text>{}</span>", value)


@register.filter
def tr(value):
    """Text kept in the database (reference data such as the certificate catalogue): its translation when the
    catalogue (locale/) has one, else the text as it is, marked as Chinese on a page in another language."""
    if value is None or value == "":
        return ""
    text = str(value)
    translated = gettext(text)
    if translated != text or _chinese_page():
        return conditional_escape(translated)
    return format_html('<span lang="zh-CN">{}</span>', text)
