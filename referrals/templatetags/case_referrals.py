"""The referrals section of a case's pages: `cases` shows them without importing `referrals`
(which is built on it), through `{% load case_referrals %}` and
`{% visible_referrals case as referrals %}`."""

from django import template

from referrals.selectors import referral_list_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def visible_referrals(context, case):
    """The case's referrals that the signed-in user may see, with the columns the pages show
    only (not the case, its person and both offices that the visibility's lists join)."""
    return (
        referral_list_visible_to(user=context["request"].user)
        .filter(case=case)
        .select_related(None)
        .select_related("to_organisation")
        .only(
            "kind",
            "state",
            "urgency",
            "submitted_at",
            "to_organisation__name_th",
            "to_organisation__name_en",
        )
    )
