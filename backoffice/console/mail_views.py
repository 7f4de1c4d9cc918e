"""Mail triage: the admin@ mail that did not become a request by itself, and re-linking it."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from peewee import fn
from wtforms import SelectField, StringField

from ..models import InboundMail, Organization
from ..models.requests import REQUEST_KINDS
from ..permissions import staff_actor
from ..services import mail_import
from ..services.errors import ServiceError
from ..services.requests import KIND_LABELS
from .base import ConsoleForm, StaffAccessMixin, flash_refusal

TRIAGE_ROWS = 200


class RelinkForm(ConsoleForm):
    organization = StringField("Organization")
    kind = SelectField("Kind", choices={kind: KIND_LABELS[kind] for kind in REQUEST_KINDS})


class MailTriageView(StaffAccessMixin, BaseView):
    """The triage list, one page per mail, and its Re-link and Dismiss actions."""

    def create_blueprint(self, admin):
        blueprint = super().create_blueprint(admin)
        # Request pages include console/mail/original.html, which lists a request's mails.
        blueprint.add_app_template_global(mail_import.mails_for_request, "mails_for_request")
        return blueprint

    @expose("/")
    def index(self):
        mails = list(mail_import.triage_mails().limit(TRIAGE_ROWS))
        return self.render("console/mail/triage.html", mails=mails, limit=TRIAGE_ROWS)

    def _load(self, mail_id: int) -> InboundMail:
        mail = mail_import.triage_mails().where(InboundMail.id == mail_id).first()
        if mail is None:
            abort(404)
        return mail

    def _page(self, mail: InboundMail, form: RelinkForm, status: int = 200):
        suggestions = mail_import.suggested_organizations(mail)
        if not form.organization.data and len(suggestions) == 1:
            form.organization.data = suggestions[0].public_id
        page = self.render("console/mail/item.html", mail=mail, form=form, suggestions=suggestions)
        return page, status

    @expose("/<int:mail_id>/")
    def item(self, mail_id):
        mail = self._load(mail_id)
        form = RelinkForm(formdata=None)
        form.kind.data = (
            mail.request.kind
            if mail.request_id
            else mail_import.classify_kind(mail.subject, mail.body_text)
        )
        return self._page(mail, form)

    @expose("/<int:mail_id>/relink", methods=["POST"])
    def relink(self, mail_id):
        mail = self._load(mail_id)
        form = RelinkForm(request.form)
        if not form.validate():
            return self._page(mail, form, 400)
        wanted = (form.organization.data or "").strip()
        matches = list(
            Organization.select()
            .where(
                (Organization.public_id == wanted) | (fn.LOWER(Organization.name) == wanted.lower())
            )
            .limit(2)
        )
        if len(matches) != 1:
            form.organization.errors = [
                "Several organizations have that name; enter the org ID."
                if matches
                else "No organization has that ID or name."
            ]
            return self._page(mail, form, 400)
        organization = matches[0]
        try:
            linked = mail_import.relink_mail(staff_actor(), mail, organization, form.kind.data)
        except ServiceError as exc:
            flash_refusal(exc)
            return self._page(mail, form, exc.status)
        flash(
            f"Filed as {KIND_LABELS[linked.kind]} for {organization.name} ({linked.public_id}).",
            "success",
        )
        return redirect(url_for("requests.detail", public_id=linked.public_id))

    @expose("/<int:mail_id>/dismiss", methods=["POST"])
    def dismiss(self, mail_id):
        mail = self._load(mail_id)
        form = ConsoleForm(request.form)
        if not form.validate():
            abort(400)
        try:
            mail_import.dismiss_mail(staff_actor(), mail)
        except ServiceError as exc:
            flash_refusal(exc)
        else:
            flash("Dismissed.", "success")
        return redirect(url_for(".index"))
