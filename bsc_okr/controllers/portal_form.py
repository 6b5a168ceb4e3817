"""The plumbing of the OKR portal's forms: access, messages, parsing, and
"apply once, all or nothing".

Every route reads and writes as the logged-in user: the same ACLs and record
rules as in the backend decide. A record id from the URL is checked with
``_document_check_access`` (no access-token fallback: these models have no
token) and then used without sudo; another person's record answers 404
without any of its data. Changes are POST only, CSRF-checked by Odoo, go
through a whitelist of form fields, run in a savepoint (all or nothing) and
are applied once per form (``okr.portal.submission``). No business rule
lives here: the models decide, the forms only parse and report.
"""

from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

TITLE_MAX = 256
TEXT_MAX = 10000
ITEMS_PER_PAGE = 80
#: Form fields every POST may carry besides its whitelist.
TECHNICAL_FIELDS = {"csrf_token", "form_key"}


class OkrPortalForm(CustomerPortal):
    # ------------------------------------------------------------------
    # Access, messages, redirects
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
            "graded": env._("Your grade was saved."),
            "approved": env._("The request was approved."),
            "rejected": env._("The request was rejected; the owner sees your reason."),
            "plan_created": env._("Your learning plan was proposed."),
            "finding_added": env._("Your finding was added to the plan."),
            "requested": env._("Your request for the next stage was sent."),
            "reminders_off": env._(
                "You will no longer get the weekly check-in reminder."
            ),
            "reminders_on": env._("You will get the weekly check-in reminder again."),
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

    def _okr_submit_form(self, post, form, allowed, errors, apply, notice, render):
        """Apply a validated form once (``apply()`` returns the URL to go
        to) and redirect with ``notice``; or, when ``errors`` or the model
        refused, call ``render(**values)`` with the errors and what was typed."""
        ignored = self._okr_ignored_fields(post, allowed)
        if not errors:
            url, message = self._okr_apply_once(post, apply)
            if url:
                return self._okr_redirect(url, message or notice, bool(ignored))
            errors = {"__all__": message}
        values = self._okr_form_values(form, post, errors)
        if ignored:
            values["ignored_message"] = self._okr_ignored_message()
        return render(**values)

    def _okr_record_page(self, record):
        """``(url, render)`` of ``record``'s portal page, ``render(record,
        **values)``: each portal module adds its models."""
        raise NotFound()

    def _okr_post_on_record(
        self, model, record_id, post, form, allowed, validate, apply, notice
    ):
        """The common shape of every change posted on a record's page: the
        record as the user (or 404); ``validate(post)`` gives ``(vals,
        errors)``; ``apply(record, vals)`` runs once and may return the URL
        to go to (else the record's page)."""
        record = self._okr_get(model, record_id)
        record_url, render = self._okr_record_page(record)
        vals, errors = validate(post)
        return self._okr_submit_form(
            post,
            form,
            allowed,
            errors,
            lambda: apply(record, vals) or record_url,
            notice,
            lambda **values: render(record, **values),
        )

    # ------------------------------------------------------------------
    # Parsing
    # ------------------------------------------------------------------
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
        # The limit is the model's, which refuses the same over RPC.
        error = request.env["okr.key.result"]._okr_value_error(number, label)
        if error:
            return None, error
        return number, None

    def _okr_confidence(self, post, name="confidence"):
        raw = self._okr_raw(post, name)
        try:
            value = int(raw)
        except ValueError:
            value = None
        error = request.env["okr.checkin"]._okr_confidence_error(value)
        return (None, error) if error else (value, None)

    @staticmethod
    def _okr_int(raw):
        """``raw`` (a value of the URL or the form) as an int, or None."""
        try:
            return int(raw) if raw else None
        except (TypeError, ValueError):
            return None

    def _okr_pick(self, records, post, name):
        """The record of ``records`` whose id the form sent as ``name``, or
        none: only what the page offered can be chosen."""
        try:
            record_id = int(self._okr_raw(post, name) or 0)
        except ValueError:
            return records.browse()
        return records.filtered(lambda r: r.id == record_id)

    def _okr_reason_vals(self, post):
        reason, error = self._okr_text(
            post,
            "reason",
            request.env._("Reason"),
            required=True,
            max_length=TEXT_MAX,
        )
        return {"reason": reason}, ({"reason": error} if error else {})

    def _okr_form_values(self, form, post, errors):
        """What the template needs to show a refused form again."""
        return {
            "form_errors": {form: errors},
            "form_values": {form: dict(post)},
        }

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------
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
