from django import template

from core.addresses import address

register = template.Library()
register.simple_tag(address)
