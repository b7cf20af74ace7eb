from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone
from knox.models import AuthToken


@shared_task
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry, so that an idle sign-in cannot be revived."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def clear_expired_tokens() -> int:
    """Delete API tokens past their expiry (they no longer work; the token check deletes only
    the one presented), so that the owner's list of sign-ins shows the live ones."""
    deleted, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted
