import ast
import datetime

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression

from ..engine import periods as engine_periods

NUMERIC_TYPES = ("integer", "float", "monetary")
DATE_TYPES = ("date", "datetime")
LIVE_CONFIG_FIELDS = (
    "live_model_id",
    "live_domain",
    "live_aggregate",
    "live_field_id",
    "live_date_field_id",
)


class BscLiveSourceMixin(models.AbstractModel):
    """Values read live from Odoo data: the only such mechanism of bsc_okr.

    A record configured here counts, sums or averages the records of a model
    matching a domain, month by month along a date field. Safety rules:

    - the domain is stored as text and parsed with ``ast.literal_eval``, then
      normalised and validated by the ORM (``odoo.osv.expression``): no
      ``eval``/``safe_eval`` of free code, no raw SQL;
    - it is evaluated with ``_read_group`` as the user who configured it
      (``live_user_id``), so it never reads what that user could not;
    - only the groups of :meth:`_live_config_groups` (Strategy Officers) may
      configure it, checked server-side in ``create``/``write``;
    - model, fields and domain are validated on save.

    Inheriting models (``bsc.measure``, ``okr.key.result``) name in
    :attr:`_live_source_field` the selection whose value ``"live"`` switches
    the source on, and may override :meth:`_live_config_groups` and
    :meth:`_live_company`.
    """

    _name = "bsc.live.source.mixin"
    _description = "Live Value Source"

    #: Selection field of the inheriting model whose value ``"live"`` turns
    #: the live source on (e.g. ``source_type``); switching it to or from
    #: ``"live"`` counts as configuring the source. None: a record is live
    #: as soon as it names a source model.
    _live_source_field = None

    live_model_id = fields.Many2one(
        "ir.model",
        groups="bsc_okr.group_strategy_officer",
        string="Source Model",
        ondelete="set null",
        domain=[("transient", "=", False)],
        help="The Odoo model whose records make the value, e.g. Employees.",
    )
    # Related (computed as superuser) technical names: everybody may see
    # where a value comes from without reading ir.model, which only
    # Strategy Officers may.
    live_model = fields.Char(
        related="live_model_id.model", string="Source Model Name", readonly=True
    )
    live_date_field = fields.Char(
        related="live_date_field_id.name", string="Date Field Name", readonly=True
    )
    live_value_field = fields.Char(
        related="live_field_id.name", string="Value Field Name", readonly=True
    )
    live_domain = fields.Char(
        string="Source Filter",
        default="[]",
        help="Which records count: an Odoo domain with literal values only, "
        "e.g. [('department_id.name', '=', 'Production')]. Dynamic expressions "
        "such as uid or context_today() are not allowed.",
    )
    live_aggregate = fields.Selection(
        [("count", "Count"), ("sum", "Sum"), ("avg", "Average")],
        string="Aggregate",
        default="count",
        help="Count the records, or sum or average a numeric field of them.",
    )
    live_field_id = fields.Many2one(
        "ir.model.fields",
        groups="bsc_okr.group_strategy_officer",
        string="Value Field",
        ondelete="set null",
        domain="[('model_id', '=', live_model_id), ('ttype', 'in', "
        "('integer', 'float', 'monetary')), ('store', '=', True)]",
        help="Numeric field summed or averaged (not used by Count).",
    )
    live_date_field_id = fields.Many2one(
        "ir.model.fields",
        groups="bsc_okr.group_strategy_officer",
        string="Date Field",
        ondelete="set null",
        domain="[('model_id', '=', live_model_id), ('ttype', 'in', "
        "('date', 'datetime')), ('store', '=', True)]",
        help="The date that places each record in a month.",
    )
    live_user_id = fields.Many2one(
        "res.users",
        string="Configured By",
        readonly=True,
        ondelete="set null",
        help="The source is read with this user's access rights: it never "
        "shows what this user could not read.",
    )
    live_refreshed_at = fields.Datetime(string="Last Refresh", readonly=True)

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    def _live_is_enabled(self):
        """Whether this record takes its values from the live source."""
        self.ensure_one()
        if self._live_source_field:
            return self[self._live_source_field] == "live"
        return bool(self.live_model_id)

    def _live_config_groups(self):
        """xmlids of the groups allowed to configure a live source."""
        return ("bsc_okr.group_strategy_officer",)

    def _live_config_fields(self):
        """Fields whose change counts as configuring the live source."""
        if self._live_source_field:
            return (*LIVE_CONFIG_FIELDS, self._live_source_field)
        return LIVE_CONFIG_FIELDS

    def _live_company(self):
        """Company whose data the source reads (empty: the user's)."""
        self.ensure_one()
        return self["company_id"] if "company_id" in self._fields else False

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------
    @api.constrains(*LIVE_CONFIG_FIELDS, "live_user_id")
    def _check_live_source(self):
        for record in self:
            if record._live_is_enabled():
                record._live_validate()

    def _live_validate(self):
        """Check model, fields, domain and the configuring user's access.

        Raises a translated ValidationError naming the problem.
        """
        self.ensure_one()
        name = self.display_name
        if not self.live_model_id:
            raise ValidationError(
                self.env._("Choose the source model of %(name)s.", name=name)
            )
        model_name = self.live_model_id.model
        if model_name not in self.env or self.env[model_name]._abstract:
            raise ValidationError(
                self.env._(
                    "The source model %(model)s of %(name)s does not exist.",
                    model=model_name,
                    name=name,
                )
            )
        user = self.live_user_id or self.env.user
        Model = self.env[model_name].with_user(user)
        if not Model.has_access("read"):
            raise ValidationError(
                self.env._(
                    "%(user)s cannot read %(model)s, so %(name)s cannot read it "
                    "either. A live source only reads what its configuring user "
                    "may read.",
                    user=user.name,
                    model=self.live_model_id.name,
                    name=name,
                )
            )
        date_field = self.live_date_field_id
        if not date_field:
            raise ValidationError(
                self.env._(
                    "Choose the date field that places the records of %(model)s "
                    "in months for %(name)s.",
                    model=self.live_model_id.name,
                    name=name,
                )
            )
        self._live_validate_field(date_field, DATE_TYPES)
        if self.live_aggregate in ("sum", "avg"):
            if not self.live_field_id:
                raise ValidationError(
                    self.env._(
                        "Choose the numeric field to sum or average for %(name)s.",
                        name=name,
                    )
                )
            self._live_validate_field(self.live_field_id, NUMERIC_TYPES)
        domain = self._live_parse_domain()
        try:
            Model._search(domain)
        except (ValueError, KeyError, TypeError, AssertionError) as error:
            raise ValidationError(
                self.env._(
                    "The filter of %(name)s is not valid on %(model)s: %(error)s",
                    name=name,
                    model=self.live_model_id.name,
                    error=error,
                )
            ) from None
        except AccessError:
            raise ValidationError(
                self.env._(
                    "The filter of %(name)s follows data that %(user)s cannot read.",
                    name=name,
                    user=user.name,
                )
            ) from None

    def _live_validate_field(self, field, types):
        model_name = self.live_model_id.model
        model_field = self.env[model_name]._fields.get(field.name)
        if field.model != model_name or not model_field:
            raise ValidationError(
                self.env._(
                    "The field %(field)s does not belong to %(model)s.",
                    field=field.name,
                    model=self.live_model_id.name,
                )
            )
        if model_field.type not in types or not model_field.store:
            raise ValidationError(
                self.env._(
                    "The field %(field)s of %(model)s cannot be used here: a "
                    "stored field of type %(types)s is needed.",
                    field=field.field_description,
                    model=self.live_model_id.name,
                    types=", ".join(types),
                )
            )

    def _live_parse_domain(self):
        """The stored filter as a normalised domain (literal values only)."""
        self.ensure_one()
        text = (self.live_domain or "").strip() or "[]"
        try:
            domain = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            raise ValidationError(
                self.env._(
                    "The filter of %(name)s must be a list of conditions with "
                    "literal values, e.g. [('active', '=', True)]; dynamic "
                    "expressions are not allowed. Got: %(domain)s",
                    name=self.display_name,
                    domain=text,
                )
            ) from None
        if not isinstance(domain, list | tuple):
            raise ValidationError(
                self.env._(
                    "The filter of %(name)s must be a list of conditions, got "
                    "%(domain)s.",
                    name=self.display_name,
                    domain=text,
                )
            )
        try:
            return expression.normalize_domain(list(domain))
        except (ValueError, TypeError, AssertionError, IndexError) as error:
            raise ValidationError(
                self.env._(
                    "The filter of %(name)s is malformed: %(error)s",
                    name=self.display_name,
                    error=error,
                )
            ) from None

    def _live_ensure_configure_right(self, name):
        """Refuse users outside :meth:`_live_config_groups` (AccessError)."""
        if self.env.su:
            return
        user = self.env.user
        if not any(user.has_group(xmlid) for xmlid in self._live_config_groups()):
            raise AccessError(
                self.env._(
                    "Only Strategy Officers may configure where %(name)s reads "
                    "its live values.",
                    name=name or self._description,
                )
            )

    def _live_changed(self, vals):
        """The records of self whose live configuration ``vals`` changes.

        For :attr:`_live_source_field`, only a switch to or from ``"live"``
        counts: moving between two other sources configures nothing.
        """
        switch = self._live_source_field
        fnames = [
            fname
            for fname in self._live_config_fields()
            if fname in vals and fname != switch
        ]
        changed = self.browse()
        for record in self:
            for fname in fnames:
                field = self._fields[fname]
                old = record[fname]
                old = old.id if field.type == "many2one" else old
                if (old or False) != (vals[fname] or False):
                    changed |= record
                    break
        if switch and switch in vals:
            changed |= self.filtered(
                lambda record: (record[switch] == "live") != (vals[switch] == "live")
            )
        return changed

    @api.model
    def _live_vals_enable(self, vals):
        """Whether creating a record with ``vals`` makes its source live."""
        if self._live_source_field:
            return vals.get(self._live_source_field) == "live"
        return bool(vals.get("live_model_id"))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if vals.get("live_user_id", self.env.uid) != self.env.uid:
                    raise AccessError(
                        self.env._("A live source is always configured as yourself.")
                    )
                vals["live_user_id"] = self.env.uid
                if self._live_vals_enable(vals):
                    self._live_ensure_configure_right(vals.get("name"))
        return super().create(vals_list)

    def write(self, vals):
        # Checked before writing, so that nothing is half-written and the
        # refusal comes before any validation of the new configuration.
        if not self.env.su:
            if vals.get("live_user_id", self.env.uid) not in (False, self.env.uid):
                raise AccessError(
                    self.env._("A live source is always configured as yourself.")
                )
            changed = self._live_changed(vals)
            if changed:
                self._live_ensure_configure_right(changed[0].display_name)
                vals = dict(vals, live_user_id=self.env.uid)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------
    def _live_source_env(self):
        """The source model, as the configuring user, on the record's company."""
        self.ensure_one()
        user = self.live_user_id or self.env.user
        Model = self.env[self.live_model].with_user(user)
        context = {"tz": "UTC", "active_test": True}
        company = self._live_company()
        if company and company in user.company_ids:
            context["allowed_company_ids"] = company.ids
        return Model.with_context(**context)

    def _live_window_domain(self, date_from, date_to):
        """Source domain of the records between two dates (months included)."""
        self.ensure_one()
        fname = self.live_date_field
        return expression.AND(
            [
                self._live_parse_domain(),
                [
                    (fname, ">=", engine_periods.month_range(date_from)[0]),
                    (fname, "<", engine_periods.next_month(date_to)),
                ],
            ]
        )

    def _live_read_months(self, date_from, date_to):
        """Aggregates per month between two dates, one query per record.

        Returns ``{record_id: {month_start: (count, total)}}`` where total is
        the sum of the value field (None for Count). Records whose source is
        not enabled are left out.
        """
        result = {}
        for record in self:
            if not record._live_is_enabled():
                continue
            Model = record._live_source_env()
            fname = record.live_date_field
            aggregates = ["__count"]
            if record.live_aggregate in ("sum", "avg"):
                aggregates.append(f"{record.live_value_field}:sum")
            groups = Model._read_group(
                record._live_window_domain(date_from, date_to),
                [f"{fname}:month"],
                aggregates,
            )
            months = {}
            for month, count, *total in groups:
                if not month:
                    continue
                if isinstance(month, datetime.datetime):
                    month = month.date()
                months[month] = (count, total[0] if total else None)
            result[record.id] = months
        return result

    def _live_combine(self, buckets):
        """One value from the ``(count, total)`` buckets of several months."""
        self.ensure_one()
        count = sum(bucket[0] for bucket in buckets)
        if self.live_aggregate == "count":
            return float(count)
        total = sum(bucket[1] or 0.0 for bucket in buckets)
        if self.live_aggregate == "sum":
            return float(total)
        return total / count if count else None

    def _live_drilldown_action(self, date_from, date_to):
        """Window action listing the records behind a value.

        Opened as the current user: it shows only what they may read.
        """
        self.ensure_one()
        domain = self._live_window_domain(date_from, date_to)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Records behind %(name)s", name=self.display_name),
            "res_model": self.live_model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [
                (leaf[0], leaf[1], fields.Date.to_string(leaf[2]))
                if isinstance(leaf, tuple | list)
                and len(leaf) == 3
                and isinstance(leaf[2], datetime.date)
                else leaf
                for leaf in domain
            ],
            "target": "current",
        }
