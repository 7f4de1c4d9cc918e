"""What every console view shares: staff-only access, CSRF-carrying forms, no secrets shown."""

from collections import OrderedDict

from flask import abort, flash, has_request_context, redirect, request, url_for
from flask_admin.contrib.peewee import ModelView
from flask_admin.contrib.peewee.filters import FilterEqual
from flask_login import current_user
from flask_wtf import FlaskForm
from peewee import Expression

from ..permissions import load_staff
from ..services.errors import ServiceError, ValidationFailed

# Never a column, filter or form field, in any view.
SECRET_FIELDS = frozenset({"password_hash", "key_hash", "token_hash", "session_token"})


class ConsoleForm(FlaskForm):
    """Flask-Admin's and the console's forms, carrying the app's one CSRF token (Flask-WTF)."""


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


class QueryOptionsFilter(FilterEqual):
    """An equals filter whose choices are read from the database on each request."""

    def get_options(self, view):
        # Flask-Admin also asks while building the view, before any database is there.
        if not has_request_context():
            return None
        return super().get_options(view)


class ConsoleModelView(StaffAccessMixin, ModelView):
    """A Flask-Admin list over a model: read-only unless a view says otherwise, fixed queries.

    `get_query` selects the related rows the list shows (named in `joined_models`), so a page
    costs the same number of queries whatever its size; `search_clause` and `default_order`
    let a view say how it is searched and ordered.
    """

    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = False
    can_set_page_size = False
    page_size = 25
    form_base_class = ConsoleForm
    joined_models: frozenset[str] = frozenset()
    search_hint = "Search"
    list_template = "console/list.html"

    def get_column_names(self, only_columns, excluded_columns):
        columns = super().get_column_names(only_columns, excluded_columns)
        return [(name, label) for name, label in columns if str(name) not in SECRET_FIELDS]

    def scaffold_form(self):
        excluded = set(self.form_excluded_columns or ()) | SECRET_FIELDS
        self.form_excluded_columns = sorted(excluded)
        return super().scaffold_form()

    def _handle_join(self, query, field, joins):
        # get_query already joined these models; joining them again would be ambiguous.
        model = getattr(field, "model", None)
        if model is not None and model.__name__ in self.joined_models:
            return query
        return super()._handle_join(query, field, joins)

    def search_clause(self, term: str) -> Expression | None:
        """What a search for one word matches; by default, any searchable column containing it."""
        clause = None
        for field in self._search_fields:
            match = field.contains(term)
            clause = match if clause is None else clause | match
        return clause

    def default_order(self, query):
        """The list's order when no column is chosen for sorting."""
        return query.order_by(self.model._meta.primary_key.desc())

    def _get_filter_groups(self):
        # Built per request (Flask-Admin caches them at start-up) so database choices stay fresh.
        if not self._filters:
            return None
        groups = OrderedDict()
        for index, flt in enumerate(self._filters):
            options = flt.get_options(self)
            groups.setdefault(str(flt.name), []).append(
                {
                    "index": index,
                    "arg": self.get_filter_arg(index, flt),
                    "operation": str(flt.operation()),
                    "options": [(k, str(v)) for k, v in options] if options else None,
                    "type": flt.data_type,
                }
            )
        return groups

    def search_placeholder(self):
        return self.search_hint

    def list_links(self) -> list[tuple[str, str]]:
        """Extra (label, URL) links shown beside the list's search box."""
        return []

    def after_fetch(self, rows: list) -> None:
        """Attach related rows a page shows (in one more query) to the fetched rows."""

    def count_rows(self, query) -> int | None:
        return None if self.simple_list_pager else query.order_by().count()

    def get_list(
        self,
        page,
        sort_column,
        sort_desc,
        search,
        filters,
        execute=True,
        page_size=None,
    ):
        query = self.get_query()
        joins = set(self.joined_models)
        for word in (search or "").split():
            clause = self.search_clause(word)
            if clause is not None:
                query = query.where(clause)
        for index, _name, value in filters or ():
            flt = self._filters[index]
            query = self._handle_join(query, flt.column, joins)
            query = flt.apply(query, flt.clean(value))
        count = self.count_rows(query)
        if sort_column is not None:
            sort_field = self._sortable_columns[sort_column]
            query, joins = self._order_by(query, joins, [(sort_field, sort_desc)])
        else:
            query = self.default_order(query)
        page_size = page_size or self.page_size
        query = query.limit(page_size).offset((page or 0) * page_size)
        if not execute:
            return count, query
        rows = list(query)
        self.after_fetch(rows)
        return count, rows

    def handle_view_exception(self, exc):
        if isinstance(exc, ServiceError):
            flash_refusal(exc)
            return True
        return super().handle_view_exception(exc)


def flash_refusal(error: ServiceError) -> None:
    """Show a service's refusal on the page the action returns to."""
    messages = error.errors.values() if isinstance(error, ValidationFailed) else [error.message]
    for message in messages:
        flash(message, "danger")


def flash_form_errors(form) -> None:
    """Flash each field's errors, for small action forms posted from a page that has several."""
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}", "danger")
