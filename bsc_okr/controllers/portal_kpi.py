"""Portal pages of the KPI appraisal: "My KPI Sheet", read-only.

The ORM is called as the portal user: the record rules of
``security/bsc_kpi_security.xml`` decide, so an employee only ever sees
their own sheets (the same rules serve the backend). Nothing here reads
an OKR model.
"""

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class KpiSheetPortal(CustomerPortal):
    _kpi_page_size = 20

    def _prepare_kpi_sheet_domain(self):
        return request.env["bsc.kpi.sheet"]._kpi_my_domain(request.env.user)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "kpi_sheet_count" in counters:
            Sheet = request.env["bsc.kpi.sheet"]
            values["kpi_sheet_count"] = (
                Sheet.search_count(self._prepare_kpi_sheet_domain())
                if Sheet.has_access("read")
                else 0
            )
        return values

    @http.route(
        ["/my/kpi", "/my/kpi/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_kpi_sheets(self, page=1, **kw):
        Sheet = request.env["bsc.kpi.sheet"]
        if not Sheet.has_access("read"):
            return request.redirect("/my")
        domain = self._prepare_kpi_sheet_domain()
        count = Sheet.search_count(domain)
        pager = portal_pager(
            url="/my/kpi", total=count, page=page, step=self._kpi_page_size
        )
        sheets = Sheet.search(domain, limit=self._kpi_page_size, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "sheets": sheets,
                "page_name": "kpi_sheet",
                "pager": pager,
                "default_url": "/my/kpi",
            }
        )
        return request.render("bsc_okr.portal_my_kpi_sheets", values)

    @http.route(["/my/kpi/<int:sheet_id>"], type="http", auth="user", website=True)
    def portal_my_kpi_sheet(self, sheet_id, **kw):
        sheet = request.env["bsc.kpi.sheet"].browse(sheet_id)
        try:
            # As the user: rules decide; no access token on appraisal sheets.
            sheet.check_access("read")
            if not sheet.exists() or not sheet.filtered_domain(
                self._prepare_kpi_sheet_domain()
            ):
                raise MissingError(request.env._("This KPI sheet does not exist."))
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"sheet": sheet, "page_name": "kpi_sheet"})
        return request.render("bsc_okr.portal_my_kpi_sheet", values)
