from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import html_translate

from .okr_learning_plan import FINDING_STATES


class OkrLearningFinding(models.Model):
    """Something learned on a learning plan: a note with its attachments
    (benchmarks, visit reports, articles, prototypes' photos).

    Read by whoever reads the plan; added by its owner and participants
    while the plan proposes, learns or presents.
    """

    _name = "okr.learning.finding"
    _description = "Learning Finding"
    _inherit = ["bsc.authored.text.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "okr.learning.plan",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    name = fields.Char(string="Finding", required=True, translate=True)
    kind = fields.Selection(
        [
            ("insight", "Insight"),
            ("benchmark", "Benchmark"),
            ("customer", "Customer Voice"),
            ("idea", "Idea"),
        ],
        required=True,
        default="insight",
    )
    note = fields.Html(translate=html_translate)
    date = fields.Date(required=True, default=fields.Date.context_today)
    author_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "okr_learning_finding_attachment_rel",
        "finding_id",
        "attachment_id",
        string="Attachments",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su:
                # A finding is always authored by whoever adds it.
                vals["author_id"] = self.env.uid
        findings = super().create(vals_list)
        findings._ensure_plan_open()
        return findings

    def write(self, vals):
        if "author_id" in vals and not self.env.su:
            raise UserError(self.env._("The author of a finding cannot change."))
        self._ensure_plan_open()
        result = super().write(vals)
        if "plan_id" in vals:
            self._ensure_plan_open()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_while_open(self):
        self._ensure_plan_open()

    def _ensure_plan_open(self):
        if self.env.su:
            return
        for finding in self:
            # The stage of the plan the user works on; read as superuser
            # because the check also runs for participants' rights.
            plan = finding.plan_id.sudo()
            if plan.state not in FINDING_STATES:
                raise UserError(
                    self.env._(
                        "The learning plan %(plan)s is %(state)s: its findings "
                        "are closed.",
                        plan=plan.display_name,
                        state=plan._approval_state_label(plan.state),
                    )
                )

    def _learning_downloadable_attachments(self):
        """``{finding id: [{"id", "name", "access_token"}]}``: the files of
        the findings of ``self``, which the user must read (AccessError
        otherwise): whoever reads a finding may download its files.

        Portal users may not read ir.attachment at all: after the explicit
        read check on the findings, their files are listed as superuser, and
        each is served through /web/content with its own access token
        (checked in constant time by Odoo), which opens that file only.
        """
        self.check_access("read")
        # sudo: read access on these findings was checked above; only their
        # own files are listed, and only their names and tokens leave here.
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                order="id",
            )
        )
        files = {finding.id: [] for finding in self}
        for attachment in attachments:
            token = attachment.access_token or attachment.generate_access_token()[0]
            files[attachment.res_id].append(
                {"id": attachment.id, "name": attachment.name, "access_token": token}
            )
        return files

    def _learning_attach(self, filename, data):
        """Attach the file ``data`` named ``filename`` to this finding.

        A file larger than the company's upload limit is refused (nothing
        is written). Odoo lets only internal users create attachments;
        portal employees attach theirs here: after the explicit check that
        the user may write the finding, the attachment is created and linked
        as superuser (like Odoo's own portal chatter does).
        """
        self.ensure_one()
        company = self.company_id or self.env.company
        if len(data) > company._okr_upload_max_bytes():
            raise UserError(
                self.env._(
                    "Attach files of at most %(size)s MB.",
                    size=company.okr_upload_max_mb,
                )
            )
        self.check_access("write")
        # sudo: write access on the finding was checked above
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename[:256],
                    "raw": data,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        # sudo: write access on the finding was checked above; the link is the
        # attachment just created
        self.sudo().attachment_ids = [Command.link(attachment.id)]
        return attachment
