"""The referrals section of a case's pages: `cases` shows them without importing `referrals`
(which is built on it), through `{% load case_referrals %}` and
`{% visible_referrals case as referrals %}`."""

from django import template

from referrals.selectors import referral_list_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def visible_referrals(context, case):
    """The case's referrals that the signed-in user may see."""
    return (
        referral_list_visible_to(user=context["request"].user)
        .filter(case=case)
        .select_related("to_organisation")
    )
