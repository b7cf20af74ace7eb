from .selectors import unread_count_for


def unread_count(request):
    """The unread badge in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count_for(user=user)}
