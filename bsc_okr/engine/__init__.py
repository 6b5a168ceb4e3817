"""Plain-Python calculation core of bsc_okr: no Odoo import below this package."""
