"""The staff console: Flask-Admin at /admin/, built afresh for every app."""

from flask import abort, redirect, request, url_for
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.theme import Bootstrap4Theme
from flask_login import current_user

from ..permissions import load_staff


class StaffAccessMixin:
    """The one place console access is decided: staff only, customers refused."""

    superuser_only = False

    def is_accessible(self):
        staff = load_staff()
        if staff is None:
            return False
        return staff.is_superuser or not self.superuser_only

    def inaccessible_callback(self, name, **kwargs):
        if load_staff() is not None or current_user.is_authenticated:
            abort(403)
        return redirect(url_for("staff_auth.login", next=request.full_path))


class ConsoleHomeView(StaffAccessMixin, AdminIndexView):
    @expose("/")
    def index(self):
        return self.render("console/index.html")


def init_console(app) -> Admin:
    """Mount a new Admin on app; a module-level Admin would break with several apps."""
    return Admin(
        app,
        name="Intrlume Console",
        url="/admin",
        index_view=ConsoleHomeView(url="/admin", name="Home"),
        theme=Bootstrap4Theme(swatch="default", fluid=True),
    )
