"""The OKR portal: employees write OKRs, check in and run learning plans
from /my, on a phone, with a portal account or an internal one.

Every route reads and writes as the logged-in user: the same ACLs and record
rules as in the backend decide. A record id from the URL is checked with
``_document_check_access`` (no access-token fallback: these models have no
token) and then used without sudo; another person's record answers 404
without any of its data. Changes are POST only, CSRF-checked by Odoo, go
through a whitelist of form fields, run in a savepoint (all or nothing) and
are applied once per form (``okr.portal.submission``).
"""

import datetime

from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import Command, fields
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request, route
from odoo.osv import expression
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.base import clean_text

TITLE_MAX = 256
TEXT_MAX = 10000
NUMBER_MAX = 1e12
ITEMS_PER_PAGE = 80
#: Where a decision leads: the approver may lose access to what they decided.
TEAM_URL = "/my/okrs/team"
#: Form fields every POST may carry besides its whitelist.
TECHNICAL_FIELDS = {"csrf_token", "form_key"}


class OkrPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Helpers: access, messages, form handling
    # ------------------------------------------------------------------
    def _okr_portal_enabled(self):
        return request.env.user.has_group("bsc_okr.group_okr_user")

    def _okr_get(self, model, record_id):
        """The record as the current user, or 404.

        ``_document_check_access`` is the explicit check (read access of
        the user, no token); its superuser copy is dropped at once.
        """
        if not self._okr_portal_enabled():
            raise NotFound()
        try:
            self._document_check_access(model, record_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return request.env[model].browse(record_id)

    def _okr_notices(self):
        env = request.env
        return {
            "created": env._("Your objective was created."),
            "saved": env._("Your changes were saved."),
            "deleted": env._("The key result was removed."),
            "submitted": env._("Your objective was sent to your manager for approval."),
            "withdrawn": env._("The approval request was withdrawn."),
            "activated": env._("Your objective is active: check-ins are open."),
            "checked_in": env._("Your check-in was saved."),
            "approved": env._("The request was approved."),
            "rejected": env._("The request was rejected; the owner sees your reason."),
            "plan_created": env._("Your learning plan was proposed."),
            "finding_added": env._("Your finding was added to the plan."),
            "requested": env._("Your request for the next stage was sent."),
            "duplicate": env._(
                "This form had already been sent: it was applied once, nothing "
                "was saved twice."
            ),
        }

    def _okr_ignored_message(self):
        return request.env._(
            "Some values sent with the form cannot be changed here and were "
            "ignored; only the fields shown on the form were used."
        )

    def _okr_page_messages(self, kw):
        """The success and warning messages named in the query string (codes
        only: no user text travels through the URL)."""
        notice = self._okr_notices().get(kw.get("notice"))
        return {
            "success_message": notice,
            "ignored_message": self._okr_ignored_message()
            if kw.get("ignored")
            else None,
        }

    def _okr_redirect(self, url, notice, ignored=False):
        params = {"notice": notice}
        if ignored:
            params["ignored"] = 1
        return request.redirect(f"{url}?{url_encode(params)}", local=True)

    def _okr_ignored_fields(self, post, allowed):
        return set(post) - set(allowed) - TECHNICAL_FIELDS

    def _okr_apply_once(self, post, apply):
        """Run ``apply()`` (which returns the URL to go to) once per form.

        Returns ``(url, None)`` on success, ``(url, "duplicate")`` for a
        form sent again (the URL of the first result), ``(None, message)``
        when the change
        was refused: nothing of it was written (savepoint) and the message
        is shown on the form, which keeps the user's input.
        """
        Submission = request.env["okr.portal.submission"]
        key = post.get("form_key")
        try:
            with request.env.cr.savepoint():
                claimed, previous = Submission._claim(key)
                if not claimed:
                    if previous:
                        return previous, "duplicate"
                    return None, request.env._(
                        "This form is out of date. Check the values and send it again."
                    )
                url = apply()
                Submission._set_target(key, url)
                return url, None
        except (AccessError, MissingError):
            request.env.invalidate_all()
            return None, request.env._(
                "You are not allowed to make this change. Nothing was saved."
            )
        except (UserError, ValidationError) as error:
            request.env.invalidate_all()
            return None, str(error.args[0] if error.args else error)

    def _okr_text(self, post, name, label, required=False, max_length=TITLE_MAX):
        """A stripped text field of the form, or an error message."""
        value = self._okr_raw(post, name)
        if required and not value:
            return value, request.env._(
                "%(field)s is required.",
                field=label,
            )
        if len(value) > max_length:
            return value, request.env._(
                "%(field)s is too long: %(count)s characters, at most %(max)s.",
                field=label,
                count=len(value),
                max=max_length,
            )
        return value, None

    @staticmethod
    def _okr_raw(post, name):
        """The stripped text a form sent for ``name`` ("" for a file or
        nothing): a crafted form never reaches str methods with another type."""
        value = post.get(name)
        return value.strip() if isinstance(value, str) else ""

    def _okr_number(self, post, name, label, required=True):
        raw = self._okr_raw(post, name)
        if not raw:
            if required:
                return None, request.env._("%(field)s is required.", field=label)
            return None, None
        number = request.env["okr.checkin"]._okr_number(raw)
        if number is None:
            return None, request.env._(
                "%(field)s must be a number, for example 12 or 3.5.", field=label
            )
        if abs(number) > NUMBER_MAX:
            return None, request.env._(
                "%(field)s is too large for a key result.", field=label
            )
        return number, None

    def _okr_confidence(self, post, name="confidence"):
        raw = self._okr_raw(post, name)
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or not 0 <= value <= 10:
            return None, request.env._(
                "Confidence is a whole number from 0 (no chance) to 10 (sure)."
            )
        return value, None

    def _okr_form_values(self, form, post, errors):
        """What the template needs to show a refused form again."""
        return {
            "form_errors": {form: errors},
            "form_values": {form: dict(post)},
        }

    def _okr_common_values(self, page_name, **values):
        values.update(self._prepare_portal_layout_values())
        values.update(
            page_name=page_name,
            form_key=request.env["okr.portal.submission"]._new_key,
            form_errors=values.get("form_errors") or {},
            form_values=values.get("form_values") or {},
            fval=self._okr_fval(values.get("form_values") or {}),
            ferr=self._okr_ferr(values.get("form_errors") or {}),
        )
        return values

    @staticmethod
    def _okr_fval(form_values):
        def fval(form, name, default=""):
            if form in form_values:
                return form_values[form].get(name, "")
            return "" if default is None or default is False else default

        return fval

    @staticmethod
    def _okr_ferr(form_errors):
        def ferr(form, name=None):
            errors = form_errors.get(form) or {}
            if name is None:
                return errors.get("__all__")
            return errors.get(name)

        return ferr

    # ------------------------------------------------------------------
    # /my home
    # ------------------------------------------------------------------
    def _prepare_okr_home_counters(self):
        """The OKR counters of /my, each with the user's own rights."""
        if not self._okr_portal_enabled():
            return {}
        env = request.env
        uid = env.uid
        today = fields.Date.context_today(env.user)
        week_start = today - datetime.timedelta(days=today.weekday())
        return {
            "okr_count": env["okr.objective"].search_count(
                self._okr_my_domain() + [("state", "!=", "cancelled")]
            ),
            "okr_checkin_due_count": env["okr.key.result"].search_count(
                [
                    ("objective_state", "=", "active"),
                    ("cycle_id.state", "=", "running"),
                    "|",
                    "|",
                    ("owner_user_id", "=", uid),
                    ("objective_id.owner_user_id", "=", uid),
                    ("contributor_ids", "in", self._okr_my_employee_ids()),
                    "|",
                    ("last_checkin_date", "=", False),
                    ("last_checkin_date", "<", week_start),
                ]
            ),
            "okr_learning_plan_count": env["okr.learning.plan"].search_count(
                [("owner_user_id", "=", uid)]
            ),
            "okr_approval_count": env["okr.objective"].search_count(
                [("approval_can_approve", "=", True)]
            )
            + env["okr.learning.plan"].search_count(
                [("approval_can_approve", "=", True)]
            ),
        }

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if {
            "okr_count",
            "okr_checkin_due_count",
            "okr_learning_plan_count",
            "okr_approval_count",
        } & set(counters):
            okr_counters = self._prepare_okr_home_counters()
            values.update({k: v for k, v in okr_counters.items() if k in counters})
        return values

    @route()
    def home(self, **kw):
        response = super().home(**kw)
        if getattr(response, "qcontext", None) is not None:
            response.qcontext.update(
                okr_counters=self._prepare_okr_home_counters(),
                okr_portal_enabled=self._okr_portal_enabled(),
            )
        return response

    # ------------------------------------------------------------------
    # /my/okrs
    # ------------------------------------------------------------------
    def _okr_my_employee_ids(self):
        # The user's own employees (ids only), to match contributors and
        # participants without searching hr.employee, which portal users
        # cannot read.
        return request.env.user.sudo().employee_ids.ids

    def _okr_contributions(self):
        """Running key results of others' objectives the user contributes to."""
        return request.env["okr.key.result"].search(
            [
                ("contributor_ids", "in", self._okr_my_employee_ids()),
                ("owner_user_id", "!=", request.env.uid),
                ("objective_state", "=", "active"),
                ("cycle_id.state", "in", ("running", "grading")),
            ]
        )

    def _okr_my_domain(self):
        return [("owner_user_id", "=", request.env.uid), ("is_learning", "=", False)]

    def _okr_current_cycle(self):
        """The running cycle that contains today, else the latest open one."""
        Cycle = request.env["okr.cycle"]
        today = fields.Date.context_today(request.env.user)
        cycle = Cycle.search(
            [
                ("state", "in", ("running", "grading")),
                ("date_start", "<=", today),
                ("date_end", ">=", today),
                ("cycle_type", "!=", "month"),
            ],
            order="date_start desc",
            limit=1,
        )
        return cycle or Cycle.search(
            [
                ("state", "in", ("running", "grading", "planning")),
                ("cycle_type", "!=", "month"),
            ],
            order="date_start desc",
            limit=1,
        )

    def _okr_sortings(self):
        env = request.env
        return {
            "name": {"label": env._("Title"), "order": "name, id"},
            "progress": {"label": env._("Progress"), "order": "progress desc, id"},
            "confidence": {
                "label": env._("Confidence"),
                "order": "confidence desc, id",
            },
            "newest": {"label": env._("Newest"), "order": "id desc"},
        }

    def _okr_groupbys(self):
        env = request.env
        return {
            "none": {"label": env._("None")},
            "state": {"label": env._("State")},
        }

    def _prepare_okr_list_domain(self, cycle, search):
        domain = self._okr_my_domain()
        if cycle:
            domain = expression.AND([domain, [("cycle_id", "=", cycle.id)]])
        if search:
            domain = expression.AND([domain, [("name", "ilike", search)]])
        return domain

    def _prepare_okr_list_values(
        self, page=1, cycle=None, search=None, sortby=None, groupby=None, extra=None
    ):
        env = request.env
        Objective = env["okr.objective"]
        sortings = self._okr_sortings()
        sortby = sortby if sortby in sortings else "name"
        groupbys = self._okr_groupbys()
        groupby = groupby if groupby in groupbys else "none"
        # A search is not stored, but it reaches SQL, which refuses a NUL.
        search = clean_text(search or "").strip()[:TITLE_MAX]
        cycles = env["okr.cycle"].search(
            [("cycle_type", "!=", "month")], order="date_start desc", limit=40
        )
        if cycle == "all":
            selected_cycle = env["okr.cycle"]
        else:
            try:
                selected_cycle = cycles.filtered(lambda c: c.id == int(cycle or 0))
            except ValueError:
                selected_cycle = env["okr.cycle"]
            if not selected_cycle:
                selected_cycle = self._okr_current_cycle()
        domain = self._prepare_okr_list_domain(selected_cycle, search)
        total = Objective.search_count(domain)
        try:
            page = max(1, int(page))
        except ValueError:
            page = 1
        url_args = {
            "cycle": selected_cycle.id if selected_cycle else "all",
            "search": search,
            "sortby": sortby,
            "groupby": groupby,
        }
        pager = portal_pager(
            url="/my/okrs",
            url_args=url_args,
            total=total,
            page=page,
            step=ITEMS_PER_PAGE,
        )
        order = sortings[sortby]["order"]
        if groupby == "state":
            order = f"state, {order}"
        objectives = Objective.search(
            domain, order=order, limit=ITEMS_PER_PAGE, offset=pager["offset"]
        )
        # One query for the latest check-in of every objective listed.
        last_checkins = dict(
            env["okr.key.result"]._read_group(
                [("objective_id", "in", objectives.ids)],
                ["objective_id"],
                ["last_checkin_date:max"],
            )
        )
        state_labels = dict(Objective._fields["state"]._description_selection(env))
        groups = []
        if groupby == "state":
            for objective in objectives:
                if not groups or groups[-1]["state"] != objective.state:
                    groups.append(
                        {
                            "state": objective.state,
                            "label": state_labels[objective.state],
                            "objectives": [],
                        }
                    )
                groups[-1]["objectives"].append(objective)
        else:
            groups = [{"state": False, "label": False, "objectives": list(objectives)}]
        contributions = self._okr_contributions()
        return self._okr_common_values(
            "okr_list",
            contributions=contributions,
            contribution_objectives={
                p.id: p.name
                for p in env["okr.objective.public"].search(
                    [("id", "in", contributions.objective_id.ids)]
                )
            },
            can_checkin_ids=set(contributions._okr_filter_can_checkin().ids),
            charts={},
            checkins_by_kr={},
            objectives=objectives,
            groups=groups,
            last_checkins=last_checkins,
            state_labels=state_labels,
            pager=pager,
            cycles=cycles,
            selected_cycle=selected_cycle,
            search=search,
            sortby=sortby,
            sortings=sortings,
            groupby=groupby,
            groupbys=groupbys,
            total=total,
            **(extra or {}),
        )

    @route(
        ["/my/okrs", "/my/okrs/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_okrs(self, page=1, **kw):
        if not self._okr_portal_enabled():
            raise NotFound()
        values = self._prepare_okr_list_values(
            page=page,
            cycle=kw.get("cycle"),
            search=kw.get("search"),
            sortby=kw.get("sortby"),
            groupby=kw.get("groupby"),
        )
        values.update(self._okr_page_messages(kw))
        return request.render("bsc_okr.portal_my_okrs", values)

    # ------------------------------------------------------------------
    # New objective
    # ------------------------------------------------------------------
    def _okr_open_cycles(self):
        return request.env["okr.cycle"].search(
            [("state", "in", ("planning", "running")), ("cycle_type", "!=", "month")],
            order="date_start desc",
        )

    def _okr_new_defaults(self):
        """What a new objective gets without being asked: the model's own
        defaults (cycle, level), shown on the form before it is sent."""
        defaults = request.env["okr.objective"].default_get(["cycle_id", "level"])
        return {
            "default_cycle_id": str(defaults.get("cycle_id") or ""),
            "new_level_department": defaults.get("level") == "department",
        }

    def _okr_objective_vals(self, post):
        """Validated values of the objective form (whitelist)."""
        env = request.env
        errors = {}
        name, errors["name"] = self._okr_text(
            post, "name", env._("Title"), required=True
        )
        description, errors["description"] = self._okr_text(
            post, "description", env._("Description"), max_length=TEXT_MAX
        )
        okr_type = post.get("okr_type") or "aspirational"
        if okr_type not in ("committed", "aspirational"):
            errors["okr_type"] = env._("Choose committed or aspirational.")
        errors = {k: v for k, v in errors.items() if v}
        vals = {"name": name, "description": description or False, "okr_type": okr_type}
        return vals, errors

    def _okr_kr_vals(self, post, prefix=""):
        """Validated values of a key result form (whitelist)."""
        env = request.env
        errors = {}
        name, errors["name"] = self._okr_text(
            post, f"{prefix}name", env._("Key result"), required=True
        )
        unit, errors["unit"] = self._okr_text(
            post, f"{prefix}unit", env._("Unit"), max_length=64
        )
        start, errors["start_value"] = self._okr_number(
            post, f"{prefix}start_value", env._("Start")
        )
        target, errors["target_value"] = self._okr_number(
            post, f"{prefix}target_value", env._("Target")
        )
        weight, errors["weight"] = self._okr_number(
            post, f"{prefix}weight", env._("Weight"), required=False
        )
        if weight is not None and weight <= 0:
            errors["weight"] = env._("Weight must be greater than zero.")
        if start is not None and target is not None and start == target:
            errors["target_value"] = env._(
                "The target must differ from the start, or there is nothing to achieve."
            )
        errors = {k: v for k, v in errors.items() if v}
        vals = {"name": name, "unit": unit or False}
        if start is not None and target is not None:
            vals.update(
                start_value=start,
                target_value=target,
                # The direction follows from the numbers: one field less to
                # get wrong on a phone.
                direction="decrease" if target < start else "increase",
            )
        if weight is not None:
            vals["weight"] = weight
        return vals, errors

    @staticmethod
    def _okr_kr_row_filled(post, prefix):
        """A key result row of a new-objective form counts once the user
        typed a name, target or unit (start and weight come prefilled)."""
        return any(
            OkrPortal._okr_raw(post, prefix + name)
            for name in ("name", "target_value", "unit")
        )

    OBJECTIVE_FIELDS = ("name", "description", "okr_type")
    KR_FIELDS = ("name", "unit", "start_value", "target_value", "weight")

    def _okr_new_allowed(self):
        allowed = {"cycle_id", *self.OBJECTIVE_FIELDS}
        for index in (1, 2, 3):
            allowed.update(f"kr{index}_{name}" for name in self.KR_FIELDS)
        return allowed

    @route(
        "/my/okrs/new", type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_okr_new(self, **post):
        if not self._okr_portal_enabled():
            raise NotFound()
        env = request.env
        cycles = self._okr_open_cycles()
        if request.httprequest.method != "POST":
            return request.render(
                "bsc_okr.portal_okr_new",
                self._okr_common_values(
                    "okr_new", cycles=cycles, **self._okr_new_defaults()
                ),
            )
        ignored = self._okr_ignored_fields(post, self._okr_new_allowed())
        vals, errors = self._okr_objective_vals(post)
        try:
            cycle = cycles.filtered(
                lambda c: c.id == int(self._okr_raw(post, "cycle_id") or 0)
            )
        except ValueError:
            cycle = env["okr.cycle"]
        if not cycle:
            errors["cycle_id"] = env._("Choose a cycle that is open.")
        kr_commands = []
        for index in (1, 2, 3):
            prefix = f"kr{index}_"
            if not self._okr_kr_row_filled(post, prefix):
                continue
            kr_vals, kr_errors = self._okr_kr_vals(post, prefix)
            errors.update({prefix + k: v for k, v in kr_errors.items()})
            kr_commands.append(Command.create(kr_vals))
        if not errors:

            def apply():
                objective = env["okr.objective"].create(
                    dict(vals, cycle_id=cycle.id, key_result_ids=kr_commands)
                )
                return f"/my/okrs/{objective.id}"

            url, message = self._okr_apply_once(post, apply)
            if url:
                return self._okr_redirect(
                    url, message or "created", ignored=bool(ignored)
                )
            errors["__all__"] = message
        values = self._okr_common_values(
            "okr_new",
            cycles=cycles,
            **self._okr_new_defaults(),
            **self._okr_form_values("new", post, errors),
        )
        if ignored:
            values["ignored_message"] = self._okr_ignored_message()
        return request.render("bsc_okr.portal_okr_new", values)

    # ------------------------------------------------------------------
    # One objective
    # ------------------------------------------------------------------
    def _okr_chart(self, key_result, checkins):
        """Points of a small SVG line chart (0..100 x 0..40) of a key
        result's progress over its check-ins; no JavaScript needed."""
        progresses = [key_result._okr_progress_of(c.value) for c in checkins]
        if not progresses:
            return None
        progresses = [0.0, *progresses] if len(progresses) == 1 else progresses
        top = max(1.0, *progresses)
        step = 100.0 / (len(progresses) - 1)
        points = " ".join(
            f"{index * step:.1f},{40 - 38 * max(0.0, p) / top:.1f}"
            for index, p in enumerate(progresses)
        )
        goal = 40 - 38 / top
        return {"points": points, "goal": f"{goal:.1f}"}

    def _prepare_okr_detail_values(self, objective, **values):
        env = request.env
        user = env.user
        # search, not browse: an approver may read the objective without
        # its public projection (a private objective of another team).
        public = env["okr.objective.public"].search([("id", "=", objective.id)])
        try:
            bsc_name = public.bsc_objective_id.name or False
        except AccessError:
            bsc_name = False
        key_results = objective.key_result_ids
        checkins = env["okr.checkin"].search(
            [("key_result_id", "in", key_results.ids)], order="date desc, id desc"
        )
        by_kr = {kr.id: [] for kr in key_results}
        for checkin in checkins:
            by_kr[checkin.key_result_id.id].append(checkin)
        charts = {
            kr.id: self._okr_chart(kr, list(reversed(by_kr[kr.id])))
            for kr in key_results
        }
        is_owner = objective.owner_user_id == user
        can_checkin = key_results._okr_filter_can_checkin()
        parents = objective.parent_ids
        return self._okr_common_values(
            "okr_detail",
            objective=objective,
            owner_name=public.owner_name,
            key_results=key_results,
            checkins_by_kr=by_kr,
            charts=charts,
            can_edit=is_owner and objective.state == "draft",
            can_checkin_ids=set(can_checkin.ids),
            next_states=objective.approval_next_states or [],
            can_approve=objective.approval_can_approve,
            can_cancel=objective.approval_can_cancel,
            parents=parents,
            bsc_objective_name=bsc_name,
            state_labels=dict(objective._fields["state"]._description_selection(env)),
            **values,
        )

    def _okr_render_detail(self, objective, **values):
        return request.render(
            "bsc_okr.portal_okr_detail",
            self._prepare_okr_detail_values(objective, **values),
        )

    @route(
        "/my/okrs/<int:objective_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_okr_detail(self, objective_id, **kw):
        objective = self._okr_get("okr.objective", objective_id)
        return self._okr_render_detail(objective, **self._okr_page_messages(kw))

    def _okr_post_on_objective(
        self, objective_id, post, form, allowed, validate, apply, notice
    ):
        """The common shape of every change posted on an objective page."""
        objective = self._okr_get("okr.objective", objective_id)
        return self._okr_post_on_record(
            objective,
            f"/my/okrs/{objective.id}",
            self._okr_render_detail,
            post,
            form,
            allowed,
            validate,
            apply,
            notice,
        )

    def _okr_post_on_record(
        self, record, record_url, render, post, form, allowed, validate, apply, notice
    ):
        """Validate ``post``, apply it once to ``record`` and redirect, or
        render ``record``'s page again with the errors and what was typed."""
        ignored = self._okr_ignored_fields(post, allowed)
        vals, errors = validate(post)
        if not errors:
            url, message = self._okr_apply_once(
                post, lambda: apply(record, vals) or record_url
            )
            if url:
                return self._okr_redirect(url, message or notice, bool(ignored))
            errors = {"__all__": message}
        values = self._okr_form_values(form, post, errors)
        if ignored:
            values["ignored_message"] = self._okr_ignored_message()
        return render(record, **values)

    @route(
        "/my/okrs/<int:objective_id>/edit",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_edit(self, objective_id, **post):
        def apply(objective, vals):
            objective.write(vals)

        return self._okr_post_on_objective(
            objective_id,
            post,
            "objective",
            self.OBJECTIVE_FIELDS,
            self._okr_objective_vals,
            apply,
            "saved",
        )

    @route(
        "/my/okrs/<int:objective_id>/key-results/new",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_kr_new(self, objective_id, **post):
        def apply(objective, vals):
            env = request.env
            env["okr.key.result"].create(dict(vals, objective_id=objective.id))

        return self._okr_post_on_objective(
            objective_id,
            post,
            "kr_new",
            self.KR_FIELDS,
            self._okr_kr_vals,
            apply,
            "saved",
        )

    def _okr_get_kr(self, objective_id, kr_id):
        """A key result of that objective, readable by the user, or 404: a
        key result id of another objective never reaches a write."""
        key_result = self._okr_get("okr.key.result", kr_id)
        if key_result.objective_id.id != objective_id:
            raise NotFound()
        return key_result

    @route(
        "/my/okrs/<int:objective_id>/key-results/<int:kr_id>/edit",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_kr_edit(self, objective_id, kr_id, **post):
        key_result = self._okr_get_kr(objective_id, kr_id)

        def apply(objective, vals):
            key_result.write(vals)

        return self._okr_post_on_objective(
            objective_id,
            post,
            f"kr_{kr_id}",
            self.KR_FIELDS,
            self._okr_kr_vals,
            apply,
            "saved",
        )

    @route(
        "/my/okrs/<int:objective_id>/key-results/<int:kr_id>/delete",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_kr_delete(self, objective_id, kr_id, **post):
        key_result = self._okr_get_kr(objective_id, kr_id)

        def apply(objective, vals):
            key_result.unlink()

        return self._okr_post_on_objective(
            objective_id,
            post,
            f"kr_{kr_id}",
            (),
            lambda p: ({}, {}),
            apply,
            "deleted",
        )

    def _okr_state_route(self, objective_id, post, form, action, notice, allowed=()):
        return self._okr_post_on_objective(
            objective_id,
            post,
            form,
            allowed,
            lambda p: ({}, {}),
            lambda objective, vals: action(objective) and None,
            notice,
        )

    @route(
        "/my/okrs/<int:objective_id>/submit",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_submit(self, objective_id, **post):
        return self._okr_state_route(
            objective_id,
            post,
            "workflow",
            lambda o: o.action_approval_request("approved") or True,
            "submitted",
        )

    @route(
        "/my/okrs/<int:objective_id>/withdraw",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_withdraw(self, objective_id, **post):
        return self._okr_state_route(
            objective_id,
            post,
            "workflow",
            lambda o: o.action_approval_cancel_request() or True,
            "withdrawn",
        )

    @route(
        "/my/okrs/<int:objective_id>/activate",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_activate(self, objective_id, **post):
        return self._okr_state_route(
            objective_id,
            post,
            "workflow",
            lambda o: o.action_approval_request("active") or True,
            "activated",
        )

    def _okr_reason_vals(self, post):
        reason, error = self._okr_text(
            post,
            "reason",
            request.env._("Reason"),
            required=True,
            max_length=TEXT_MAX,
        )
        return {"reason": reason}, ({"reason": error} if error else {})

    @route(
        "/my/okrs/<int:objective_id>/approve",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_approve(self, objective_id, **post):
        return self._okr_post_on_objective(
            objective_id,
            post,
            "decision",
            (),
            lambda p: ({}, {}),
            lambda objective, vals: objective.action_approval_approve() and TEAM_URL,
            "approved",
        )

    @route(
        "/my/okrs/<int:objective_id>/reject",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_reject(self, objective_id, **post):
        return self._okr_post_on_objective(
            objective_id,
            post,
            "decision",
            ("reason",),
            self._okr_reason_vals,
            lambda objective, vals: (
                objective.action_approval_reject(vals["reason"]) and TEAM_URL
            ),
            "rejected",
        )

    # ------------------------------------------------------------------
    # Check-ins
    # ------------------------------------------------------------------
    CHECKIN_FIELDS = ("value", "confidence", "comment")

    def _okr_checkin_vals(self, post):
        env = request.env
        errors = {}
        value, errors["value"] = self._okr_number(post, "value", env._("Value"))
        confidence, errors["confidence"] = self._okr_confidence(post)
        comment, errors["comment"] = self._okr_text(
            post, "comment", env._("Comment"), max_length=TEXT_MAX
        )
        errors = {k: v for k, v in errors.items() if v}
        return {
            "value": value,
            "confidence": confidence,
            "comment": comment or False,
        }, errors

    @route(
        "/my/key-results/<int:kr_id>/checkin",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_okr_checkin(self, kr_id, **post):
        key_result = self._okr_get("okr.key.result", kr_id)
        objective = key_result.objective_id
        # Contributors read the key result, not always its objective: they
        # check in from their list of contributions.
        readable = objective.has_access("read")
        plan = None
        if readable and objective.is_learning:
            plan = objective.learning_plan_id
            plan = plan if plan.has_access("read") else None
        ignored = self._okr_ignored_fields(post, self.CHECKIN_FIELDS)
        vals, errors = self._okr_checkin_vals(post)
        if plan:
            back = f"/my/learning-plans/{plan.id}"
        elif readable:
            back = f"/my/okrs/{objective.id}"
        else:
            back = "/my/okrs"
        if not errors:

            def apply():
                request.env["okr.checkin"].create(
                    dict(vals, key_result_id=key_result.id)
                )
                return back

            url, message = self._okr_apply_once(post, apply)
            if url:
                return self._okr_redirect(url, message or "checked_in", bool(ignored))
            errors = {"__all__": message}
        values = self._okr_form_values(f"checkin_{kr_id}", post, errors)
        if ignored:
            values["ignored_message"] = self._okr_ignored_message()
        if plan:
            return self._okr_render_plan(plan, **values)
        if readable:
            return self._okr_render_detail(objective, **values)
        return request.render(
            "bsc_okr.portal_my_okrs", self._prepare_okr_list_values(extra=values)
        )

    # ------------------------------------------------------------------
    # Team and company
    # ------------------------------------------------------------------
    @route("/my/okrs/team", type="http", auth="user", website=True, methods=["GET"])
    def portal_okr_team(self, **kw):
        if not self._okr_portal_enabled():
            raise NotFound()
        env = request.env
        Objective = env["okr.objective"]
        cycle = self._okr_current_cycle()
        to_approve = Objective.search([("approval_can_approve", "=", True)])
        plans_to_approve = env["okr.learning.plan"].search(
            [("approval_can_approve", "=", True)]
        )
        team = Objective.browse()
        if not env.user.share:
            # Portal users have no team: "my team" reads the org chart.
            team = Objective.search(
                [
                    ("in_my_team", "=", True),
                    ("owner_user_id", "!=", env.uid),
                    ("cycle_id", "=", cycle.id),
                    ("state", "!=", "cancelled"),
                ],
                order="name, id",
            )
        owner_names = {
            p.id: p.owner_name
            for p in env["okr.objective.public"].search(
                [("id", "in", (team | to_approve).ids)]
            )
        }
        values = self._okr_common_values(
            "okr_team",
            cycle=cycle,
            to_approve=to_approve,
            plans_to_approve=plans_to_approve,
            team=team,
            owner_names=owner_names,
            state_labels=dict(Objective._fields["state"]._description_selection(env)),
        )
        values.update(self._okr_page_messages(kw))
        return request.render("bsc_okr.portal_okr_team", values)

    @route("/my/okrs/company", type="http", auth="user", website=True, methods=["GET"])
    def portal_okr_company(self, cycle=None, **kw):
        if not self._okr_portal_enabled():
            raise NotFound()
        env = request.env
        current = self._okr_current_cycle()
        cycles = env["okr.cycle"].search(
            [("cycle_type", "!=", "month")], order="date_start desc", limit=40
        )
        try:
            selected = cycles.filtered(lambda c: c.id == int(cycle or 0)) or current
        except ValueError:
            selected = current
        public = env["okr.objective.public"].search(
            [
                ("cycle_id", "=", selected.id),
                ("visibility", "=", "public"),
                ("state", "in", ("approved", "active", "graded")),
            ],
            order="level, name",
        )
        ids = set(public.ids)
        children = {}
        roots = []
        for objective in public:
            parent = objective.parent_id.id
            if parent and parent in ids:
                children.setdefault(parent, []).append(objective)
            else:
                roots.append(objective)
        values = self._okr_common_values(
            "okr_company",
            roots=roots,
            children=children,
            cycles=cycles,
            selected_cycle=selected,
        )
        return request.render("bsc_okr.portal_okr_company", values)

    # ------------------------------------------------------------------
    # Learning plans
    # ------------------------------------------------------------------
    def _okr_plan_domain(self):
        user = request.env.user
        mine = self._okr_my_employee_ids()
        return [
            "|",
            ("owner_user_id", "=", user.id),
            ("participant_ids", "in", mine),
        ]

    @route(
        ["/my/learning-plans", "/my/learning-plans/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_learning_plans(self, page=1, **kw):
        if not self._okr_portal_enabled():
            raise NotFound()
        Plan = request.env["okr.learning.plan"]
        domain = self._okr_plan_domain()
        total = Plan.search_count(domain)
        pager = portal_pager(
            url="/my/learning-plans", total=total, page=page, step=ITEMS_PER_PAGE
        )
        plans = Plan.search(domain, limit=ITEMS_PER_PAGE, offset=pager["offset"])
        values = self._okr_common_values(
            "learning_list",
            plans=plans,
            pager=pager,
            state_labels=dict(
                Plan._fields["state"]._description_selection(request.env)
            ),
        )
        values.update(self._okr_page_messages(kw))
        return request.render("bsc_okr.portal_my_learning_plans", values)

    PLAN_FIELDS = (
        "name",
        "plan_type_id",
        "campaign_id",
        "cycle_id",
        "direction",
        "goal_name",
        "goal_description",
    )

    def _okr_plan_choices(self):
        env = request.env
        return {
            "plan_types": env["okr.learning.plan.type"].search([]),
            "campaigns": env["okr.learning.campaign"].search(
                [("state", "=", "running")]
            ),
            "month_cycles": env["okr.cycle"].search(
                [
                    ("cycle_type", "=", "month"),
                    ("state", "in", ("planning", "running")),
                ],
                order="date_start",
            ),
        }

    @route(
        "/my/learning-plans/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_learning_plan_new(self, **post):
        if not self._okr_portal_enabled():
            raise NotFound()
        env = request.env
        choices = self._okr_plan_choices()
        if request.httprequest.method != "POST":
            return request.render(
                "bsc_okr.portal_learning_plan_new",
                self._okr_common_values("learning_new", **choices),
            )
        allowed = set(self.PLAN_FIELDS)
        for index in (1, 2, 3):
            allowed.update(f"kr{index}_{name}" for name in self.KR_FIELDS)
        ignored = self._okr_ignored_fields(post, allowed)
        errors = {}
        name, errors["name"] = self._okr_text(post, "name", env._("Plan"), True)
        goal_name, errors["goal_name"] = self._okr_text(
            post, "goal_name", env._("Learning objective"), True
        )
        goal_description, errors["goal_description"] = self._okr_text(
            post, "goal_description", env._("Why learn this"), max_length=TEXT_MAX
        )
        direction, errors["direction"] = self._okr_text(
            post, "direction", env._("Direction"), max_length=TEXT_MAX
        )

        def pick(records, field):
            try:
                return records.filtered(
                    lambda r: r.id == int(self._okr_raw(post, field) or 0)
                )
            except ValueError:
                return records.browse()

        plan_type = pick(choices["plan_types"], "plan_type_id")
        campaign = pick(choices["campaigns"], "campaign_id")
        cycle = pick(choices["month_cycles"], "cycle_id")
        if not plan_type:
            errors["plan_type_id"] = env._("Choose the kind of learning plan.")
        if not cycle:
            errors["cycle_id"] = env._("Choose the month of the learning goal.")
        kr_commands = []
        for index in (1, 2, 3):
            prefix = f"kr{index}_"
            if not self._okr_kr_row_filled(post, prefix):
                continue
            kr_vals, kr_errors = self._okr_kr_vals(post, prefix)
            errors.update({prefix + k: v for k, v in kr_errors.items()})
            kr_commands.append(Command.create(kr_vals))
        errors = {k: v for k, v in errors.items() if v}
        if not errors:

            def apply():
                plan = env["okr.learning.plan"].create(
                    {
                        "name": name,
                        "plan_type_id": plan_type.id,
                        "campaign_id": campaign.id or False,
                        "cycle_id": cycle.id,
                        "goal_name": goal_name,
                        "goal_description": goal_description or False,
                        "direction": plaintext2html(direction) if direction else False,
                        "key_result_ids": kr_commands,
                    }
                )
                return f"/my/learning-plans/{plan.id}"

            url, message = self._okr_apply_once(post, apply)
            if url:
                return self._okr_redirect(url, message or "plan_created", bool(ignored))
            errors["__all__"] = message
        values = self._okr_common_values(
            "learning_new", **choices, **self._okr_form_values("new", post, errors)
        )
        if ignored:
            values["ignored_message"] = self._okr_ignored_message()
        return request.render("bsc_okr.portal_learning_plan_new", values)

    def _okr_render_plan(self, plan, **values):
        env = request.env
        goal = plan.objective_id
        key_results = goal.key_result_ids
        checkins = env["okr.checkin"].search(
            [("key_result_id", "in", key_results.ids)], order="date desc, id desc"
        )
        by_kr = {kr.id: [] for kr in key_results}
        for checkin in checkins:
            by_kr[checkin.key_result_id.id].append(checkin)
        values = self._okr_common_values(
            "learning_detail",
            plan=plan,
            finding_files=self._okr_finding_attachments(plan.finding_ids),
            goal=goal,
            key_results=key_results,
            checkins_by_kr=by_kr,
            charts={
                kr.id: self._okr_chart(kr, list(reversed(by_kr[kr.id])))
                for kr in key_results
            },
            can_checkin_ids=set(key_results._okr_filter_can_checkin().ids),
            next_states=plan.approval_next_states or [],
            can_approve=plan.approval_can_approve,
            can_add_finding=plan.state in ("propose", "learn", "present")
            and (
                plan.owner_user_id == env.user
                or bool(
                    env["okr.learning.plan"].search_count(
                        [
                            ("id", "=", plan.id),
                            ("participant_ids", "in", self._okr_my_employee_ids()),
                        ]
                    )
                )
            ),
            state_labels=dict(plan._fields["state"]._description_selection(env)),
            finding_kinds=dict(
                env["okr.learning.finding"]._fields["kind"]._description_selection(env)
            ),
            decision_labels=dict(
                env["okr.learning.decision"]
                ._fields["decision"]
                ._description_selection(env)
            ),
            **values,
        )
        return request.render("bsc_okr.portal_learning_plan_detail", values)

    @route(
        "/my/learning-plans/<int:plan_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_learning_plan_detail(self, plan_id, **kw):
        plan = self._okr_get("okr.learning.plan", plan_id)
        return self._okr_render_plan(plan, **self._okr_page_messages(kw))

    def _okr_post_on_plan(self, plan_id, post, form, allowed, validate, apply, notice):
        plan = self._okr_get("okr.learning.plan", plan_id)
        return self._okr_post_on_record(
            plan,
            f"/my/learning-plans/{plan.id}",
            self._okr_render_plan,
            post,
            form,
            allowed,
            validate,
            apply,
            notice,
        )

    def _okr_finding_vals(self, post):
        env = request.env
        errors = {}
        name, errors["name"] = self._okr_text(post, "name", env._("Finding"), True)
        note, errors["note"] = self._okr_text(
            post, "note", env._("Note"), max_length=TEXT_MAX
        )
        kind = post.get("kind") or "insight"
        kinds = dict(env["okr.learning.finding"]._fields["kind"].selection)
        if kind not in kinds:
            errors["kind"] = env._("Choose what kind of finding this is.")
        upload = post.get("attachment")
        if upload is not None and not hasattr(upload, "read"):
            upload = None
        errors = {k: v for k, v in errors.items() if v}
        return {
            "name": name,
            "note": plaintext2html(note) if note else False,
            "kind": kind,
            "upload": upload,
        }, errors

    def _okr_attach_to_finding(self, finding, filename, data):
        """Attach a file to a finding the user just wrote.

        Odoo lets only internal users create attachments; portal employees
        attach theirs here: after the explicit check that the user may write
        the finding, the attachment is created and linked as superuser (like
        Odoo's own portal chatter does).
        """
        finding.check_access("write")
        attachment = (
            request.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename[:TITLE_MAX],
                    "raw": data,
                    "res_model": "okr.learning.finding",
                    "res_id": finding.id,
                }
            )
        )
        # sudo: write access on the finding was checked above; the link is the
        # attachment just created
        finding.sudo().attachment_ids = [Command.link(attachment.id)]

    def _okr_finding_attachments(self, findings):
        """{finding id: [(name, download url)]} for findings the user reads.

        Portal users may not read ir.attachment at all: after the explicit
        read check on the findings, their files are listed as superuser and
        served through /web/content with the attachment's access token
        (checked in constant time by Odoo), which opens that file only.
        """
        findings.check_access("read")
        attachments = (
            request.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "okr.learning.finding"),
                    ("res_id", "in", findings.ids),
                ],
                order="id",
            )
        )
        files = {finding.id: [] for finding in findings}
        for attachment in attachments:
            token = attachment.access_token or attachment.generate_access_token()[0]
            files[attachment.res_id].append(
                (
                    attachment.name,
                    f"/web/content/{attachment.id}?"
                    + url_encode({"access_token": token, "download": "true"}),
                )
            )
        return files

    @route(
        "/my/learning-plans/<int:plan_id>/findings",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_learning_plan_finding(self, plan_id, **post):
        def apply(plan, vals):
            upload = vals.pop("upload")
            finding = request.env["okr.learning.finding"].create(
                dict(vals, plan_id=plan.id)
            )
            if upload and upload.filename:
                data = upload.read()
                if len(data) > 10 * 1024 * 1024:
                    raise UserError(request.env._("Attach files of at most 10 MB."))
                self._okr_attach_to_finding(finding, upload.filename, data)

        return self._okr_post_on_plan(
            plan_id,
            post,
            "finding",
            ("name", "note", "kind", "attachment"),
            self._okr_finding_vals,
            apply,
            "finding_added",
        )

    @route(
        "/my/learning-plans/<int:plan_id>/request",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_learning_plan_request(self, plan_id, **post):
        def validate(p):
            to_state = p.get("to_state")
            plan = request.env["okr.learning.plan"].browse(plan_id)
            if to_state not in (plan.approval_next_states or []):
                return {}, {
                    "to_state": request.env._("This stage cannot be requested now.")
                }
            return {"to_state": to_state}, {}

        return self._okr_post_on_plan(
            plan_id,
            post,
            "workflow",
            ("to_state",),
            validate,
            lambda plan, vals: plan.action_approval_request(vals["to_state"]) and None,
            "requested",
        )

    @route(
        "/my/learning-plans/<int:plan_id>/approve",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_learning_plan_approve(self, plan_id, **post):
        return self._okr_post_on_plan(
            plan_id,
            post,
            "decision",
            (),
            lambda p: ({}, {}),
            lambda plan, vals: plan.action_approval_approve() and TEAM_URL,
            "approved",
        )

    @route(
        "/my/learning-plans/<int:plan_id>/reject",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_learning_plan_reject(self, plan_id, **post):
        return self._okr_post_on_plan(
            plan_id,
            post,
            "decision",
            ("reason",),
            self._okr_reason_vals,
            lambda plan, vals: plan.action_approval_reject(vals["reason"]) and TEAM_URL,
            "rejected",
        )
