"""Staff accounts (superusers only): create, deactivate, change role."""

from ..auth.errors import show_service_error
from ..extensions import database
from ..models import StaffUser
from ..permissions import staff_actor
from ..services import staff as staff_service
from ..services.errors import ServiceError
from .base import ConsoleModelView
from .forms import StaffCreateForm, StaffEditForm
from .helpers import when_column


class StaffUserView(ConsoleModelView):
    """Staff accounts: superusers create them, change their role, deactivate them."""

    search_hint = "Email or name"
    superuser_only = True
    can_create = True
    can_edit = True
    column_list = ("email", "name", "role", "is_active", "last_login_at", "created_at")
    column_labels = {"is_active": "Active", "last_login_at": "Last login"}
    column_searchable_list = ("email", "name")
    column_formatters = {"last_login_at": when_column, "created_at": when_column}

    def default_order(self, query):
        return query.order_by(StaffUser.email)

    def get_create_form(self):
        return StaffCreateForm

    def get_edit_form(self):
        return StaffEditForm

    def create_model(self, form):
        try:
            return staff_service.create_staff(
                staff_actor(), form.email.data, form.role.data, form.password.data, form.name.data
            )
        except ServiceError as exc:
            show_service_error(form, exc)
            return False

    def update_model(self, form, model):
        """The edit form's role and active flag, each through its own staff service."""
        try:
            # Both changes or neither: a refused second change undoes the first.
            with database.atomic():
                if form.role.data != model.role:
                    staff_service.change_role(staff_actor(), model, form.role.data)
                if form.is_active.data != model.is_active:
                    staff_service.set_active(staff_actor(), model, form.is_active.data)
        except ServiceError as exc:
            show_service_error(form, exc)
            return False
        return True
