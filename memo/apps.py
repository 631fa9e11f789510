from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MemoConfig(AppConfig):
    name = "memo"
    verbose_name = _("Mach-Mit-Memo")
