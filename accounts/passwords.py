"""Django's password rules, in this application's own words: Django's Thai catalogue does not
translate them, and a Thai user must read why a password is refused."""

from django.contrib.auth import password_validation as django
from django.utils.translation import gettext as _


class UserAttributeSimilarityValidator(django.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("The password is too like your %(verbose_name)s.")

    def get_help_text(self):
        return _("Not like your name, user name or e-mail address.")


class MinimumLengthValidator(django.MinimumLengthValidator):
    def get_error_message(self):
        return _("The password is too short: at least %(min_length)d characters.") % {
            "min_length": self.min_length
        }

    def get_help_text(self):
        return _("At least %(min_length)d characters.") % {"min_length": self.min_length}


class CommonPasswordValidator(django.CommonPasswordValidator):
    def get_error_message(self):
        return _("The password is one of the most common ones.")

    def get_help_text(self):
        return _("Not a common password.")


class NumericPasswordValidator(django.NumericPasswordValidator):
    def get_error_message(self):
        return _("The password is only digits.")

    def get_help_text(self):
        return _("Not only digits.")
