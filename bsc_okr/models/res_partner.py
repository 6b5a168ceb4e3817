# Copyright 2026 bsc_okr developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResPartner(models.Model):
    """A person's partner carries the messages meant for that person alone
    (the weekly check-in reminder), sent through ``okr.notify.mixin``.

    They are ``user_notification`` messages: only their recipient (and
    author) may read them, whoever may read the partner.
    """

    _name = "res.partner"
    _inherit = ["okr.notify.mixin", "res.partner"]
