"""The console's pages: sign-in, case list, case page (actions, transfer, thread), figures,
exports and the audit record. Every page reads its scope from the session; a case outside it
is 404, whether reached by id, by reference or through an export."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    stream_with_context,
    url_for,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.console import charts, exports, labels, queries
from bot.console.forms import ActionForm, AnswerForm, SignInForm, SignOutForm, TransferForm, submitted
from bot.console.scope import Scope
from bot.console.sessions import SESSION_HOURS
from bot.services import Services
from handlers import followup, lifecycle, staff, threads
from models import Case, CaseEvent, Office
from models.console import (
    CaseTransfer,
    ConsoleAudit,
    SignInRefused,
    issue_sign_in_token,
    peek_sign_in_token,
    use_sign_in_token,
)
from nlp.thaitime import BANGKOK

log = logging.getLogger(__name__)
bp = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="../templates",
    static_folder="../static/console",
    static_url_path="/static",
)


def services() -> Services:
    return current_app.extensions["rianto"]


def _now() -> datetime:
    return services().clock.now()


# -- who is signed in ------------------------------------------------------------------------


def _current_scope() -> Scope | None:
    scope = Scope.parse(session.get("scope"))
    since = session.get("since")
    if scope is None or not isinstance(since, (int, float)):
        return None
    if _now().timestamp() - since > SESSION_HOURS * 3600:
        session.clear()
        return None
    return scope


@bp.before_request
def _load_user() -> Any:
    g.scope = _current_scope()
    g.who = session.get("who") if g.scope else None
    g.who_id = session.get("who_id") if g.scope else None
    open_endpoints = {"console.sign_in", "console.signed_out", "console.static", "console.local_link"}
    if g.scope is None and request.endpoint not in open_endpoints:
        return render_template("console/signed_out.html"), 401
    return None


@bp.after_request
def _no_store(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    )
    return response


@bp.app_template_filter("thaidate")
def _thaidate(value: datetime | None, with_time: bool = True) -> str:
    return labels.thai_date(value, time=with_time)


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    return {"labels": labels, "signout_form": SignOutForm() if request.blueprint == "console" else None}


def _audit(db: Session, action: str, *, case_id: int | None = None, detail: str | None = None) -> None:
    db.add(
        ConsoleAudit(
            at=_now(),
            actor=(g.who or "-")[:120],
            actor_id=g.who_id,
            scope=str(g.scope),
            action=action,
            case_id=case_id,
            detail=(detail or None) and detail[:300],
        )
    )


# -- sign-in ---------------------------------------------------------------------------------

REFUSALS = labels.SIGN_IN_REFUSALS


@bp.route("/login/<token>", methods=["GET", "POST"])
def sign_in(token: str) -> Any:
    """GET shows a button (link previews and scanners fetch links; they must not spend one);
    POST spends the link and starts the session."""
    form = SignInForm()
    now = _now()
    if request.method == "POST":
        if not submitted(form):
            abort(400)
        try:
            with services().db.transaction() as tx:
                db = tx.session
                row = use_sign_in_token(db, token[:100], now)
                scope = (
                    Scope("admin")
                    if row.scope_kind == "admin"
                    else (
                        Scope("province", row.scope_code)
                        if row.scope_kind == "province"
                        else Scope.for_office(row.scope_code or "")
                    )
                )
                db.add(
                    ConsoleAudit(
                        at=now,
                        actor=row.issued_to,
                        actor_id=row.issued_to_id,
                        scope=str(scope),
                        action="sign_in",
                        detail=f"link {row.id}",
                    )
                )
                who, who_id = row.issued_to, row.issued_to_id
        except SignInRefused as refused:
            return render_template("console/refused.html", message=REFUSALS[refused.reason]), 403
        session.clear()
        session.permanent = True
        session.update(scope=str(scope), who=who, who_id=who_id, since=now.timestamp())
        return redirect(url_for("console.case_list"))
    try:
        with services().db.transaction(write=False) as tx:
            db = tx.session
            row = peek_sign_in_token(db, token[:100], now)
            scope_name = _scope_title(db, row.scope_kind, row.scope_code)
    except SignInRefused as refused:
        return render_template("console/refused.html", message=REFUSALS[refused.reason]), 403
    return render_template("console/sign_in.html", form=form, scope_name=scope_name, who=row.issued_to)


def _scope_title(db: Session, kind: str, code: str | None) -> str:
    if kind == "admin" or not code:
        return labels.ADMIN_SCOPE
    office = db.get(Office, code)
    return office.name if office else code


@bp.post("/logout")
def sign_out() -> Any:
    form = SignOutForm()
    if not submitted(form):
        abort(400)
    session.clear()
    return redirect(url_for("console.signed_out"))


@bp.get("/signed-out")
def signed_out() -> Any:
    return render_template("console/signed_out.html", bye=True)


# -- case list -------------------------------------------------------------------------------


def _sla() -> float:
    return float(services().settings.REFERRAL_SLA_HOURS)


@bp.get("/")
def case_list() -> Any:
    filters = queries.ListFilters.from_args(request.args)
    now = _now()
    with services().db.transaction(write=False) as tx:
        db = tx.session
        page = queries.case_list(db, g.scope, filters, now=now, sla_hours=_sla())
        names = queries.names_of_offices(db, [r.office_code for r in page.rows] + [g.scope.code])
    return render_template(
        "console/list.html",
        page=page,
        filters=filters,
        names=names,
        scope_title=g.scope.title(names),
        now=now,
        sla_hours=_sla(),
    )


@bp.get("/r/<ref>")
def by_ref(ref: str) -> Any:
    with services().db.transaction(write=False) as tx:
        db = tx.session
        case = queries.find_by_ref(db, g.scope, ref[:30])
    if case is None:
        abort(404)
    return redirect(url_for("console.case_page", case_id=case.id))


# -- case page -------------------------------------------------------------------------------


def _render_case(
    case_id: int,
    *,
    action_form: ActionForm | None = None,
    transfer_form: TransferForm | None = None,
    answer_form: AnswerForm | None = None,
    status: int = 200,
) -> Any:
    now = _now()
    with services().db.transaction() as tx:
        db = tx.session
        case = queries.find_case(db, g.scope, case_id)
        if case is None:
            abort(404)
        _audit(db, "view_case", case_id=case.id)
        events = list(
            db.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at, CaseEvent.id))
        )
        transfers = list(
            db.scalars(select(CaseTransfer).where(CaseTransfer.case_id == case.id).order_by(CaseTransfer.at))
        )
        thread = threads.messages_of(db, case.id)
        names = queries.names_of_offices(
            db,
            [case.office_code, case.province_code, case.delivered_to]
            + [t.from_office for t in transfers]
            + [t.to_office for t in transfers],
        )
        overdue = bool(db.scalar(select(lifecycle.overdue(now, _sla())).where(Case.id == case.id)))
        db.expunge_all()
    return render_template(
        "console/case.html",
        case=case,
        events=events,
        transfers=transfers,
        thread=thread,
        can_answer=bool(case.line_user_id),
        names=names,
        overdue=overdue,
        can_transfer=case.status in lifecycle.OPEN_STATUSES,
        actions=lifecycle.staff_actions(case.status),
        action_form=action_form or ActionForm(),
        transfer_form=transfer_form or TransferForm(),
        answer_form=answer_form or AnswerForm(),
    ), status


@bp.get("/cases/<int:case_id>")
def case_page(case_id: int) -> Any:
    return _render_case(case_id)


def _apply_action(db: Session, case: Case, action: str, reason: str | None) -> str:
    """The same function the LINE buttons use (handlers.staff), so the rules and the
    notifications to the youth and the group are the same."""
    return staff.apply_action(
        db,
        case,
        action,
        reason=reason,
        actor=g.who or labels.STAFF,
        actor_id=g.who_id,
        now=_now(),
        services=services(),
    )


@bp.post("/cases/<int:case_id>/action")
def case_action(case_id: int) -> Any:
    form = ActionForm()
    if not submitted(form):
        return _render_case(case_id, action_form=form, status=422)
    action = form.action.data
    if action not in labels.ACTIONS:
        abort(400)
    reason = form.reason.data or None
    if action == "close" and reason not in labels.CLOSE_REASONS:
        form.reason.errors = [labels.CLOSE_REASON_MISSING]
        return _render_case(case_id, action_form=form, status=422)
    with services().db.transaction() as tx:
        db = tx.session
        case = queries.find_case(db, g.scope, case_id, lock=True)
        if case is None:
            abort(404)
        said = _apply_action(db, case, action, reason)
        _audit(db, "action", case_id=case.id, detail=f"{action}{' ' + reason if reason else ''}")
    flash(said)
    return redirect(url_for("console.case_page", case_id=case_id))


@bp.post("/cases/<int:case_id>/transfer")
def case_transfer(case_id: int) -> Any:
    form = TransferForm()
    if not submitted(form):
        return _render_case(case_id, transfer_form=form, status=422)
    try:
        with services().db.transaction() as tx:
            db = tx.session
            case = queries.find_case(db, g.scope, case_id, lock=True)
            if case is None:
                abort(404)
            target = followup.transfer_case(
                db,
                case,
                form.office.data,
                form.reason.data,
                actor=g.who or labels.STAFF,
                actor_id=g.who_id,
                now=_now(),
                settings=services().settings,
            )
            _audit(db, "transfer", case_id=case.id, detail=f"to {target.code}")
            still_visible = queries.find_case(db, g.scope, case_id) is not None
            target_name = target.name
    except followup.TransferRefused as refused:
        form.office.errors = [str(refused)]
        return _render_case(case_id, transfer_form=form, status=422)
    flash(labels.transferred(target_name))
    if still_visible:
        return redirect(url_for("console.case_page", case_id=case_id))
    return redirect(url_for("console.case_list"))


@bp.post("/cases/<int:case_id>/answer")
def case_answer(case_id: int) -> Any:
    form = AnswerForm()
    if not submitted(form):
        return _render_case(case_id, answer_form=form, status=422)
    with services().db.transaction() as tx:
        db = tx.session
        case = queries.find_case(db, g.scope, case_id, lock=True)
        if case is None:
            abort(404)
        said = threads.answer_case(
            db,
            case,
            form.text.data.strip(),
            actor=g.who or labels.STAFF,
            actor_id=g.who_id,
            now=_now(),
            services=services(),
        )
        _audit(db, "answer", case_id=case.id)
    flash(str(said) if said else labels.ANSWER_SENT)
    return redirect(url_for("console.case_page", case_id=case_id) + "#thread")


# -- figures ---------------------------------------------------------------------------------


def _period(args: Any, now: datetime) -> tuple[date, date]:
    today = now.astimezone(BANGKOK).date()
    end = queries.parse_date(args.get("to")) or today
    start = queries.parse_date(args.get("from")) or (end - timedelta(days=364))
    if start > end:
        start, end = end, start
    return start, end


@bp.get("/figures")
def figures() -> Any:
    scope: Scope = g.scope
    now = _now()
    start, end = _period(request.args, now)
    province = request.args.get("province") or None
    district = request.args.get("district") or None
    if scope.kind != "admin":
        province = scope.province
        if scope.kind == "office" and len(scope.code or "") == 4:
            district = None  # a district office's figures are its own cases'
    if province is not None and (len(province) != 2 or not province.isdigit()):
        abort(404)
    if district is not None and (len(district) != 4 or not district.isdigit() or district[:2] != province):
        abort(404)
    with services().db.transaction(write=False) as tx:
        db = tx.session
        result = queries.figures(
            db, scope, province=province, district=district, start=start, end=end, now=now, sla_hours=_sla()
        )
        names = queries.names_of_offices(db, [scope.code])
    total = result.total
    funnel = [(label, getattr(total, step)) for step, label in labels.FUNNEL.items()]
    chart_set = {
        "areas": charts.bar_chart(
            labels.chart_areas(by_district=bool(province)),
            [(labels.place_name(a.code), a.new) for a in result.areas[:30]],
            color="#1f6f8b",
            chart_id="chart-areas",
        ),
        "funnel": charts.bar_chart(labels.CHART_FUNNEL, funnel, chart_id="chart-funnel"),
        "reasons": charts.bar_chart(
            labels.CHART_REASONS,
            [(labels.label(labels.REASONS, r), n) for r, n in result.reasons],
            color="#e76f51",
            chart_id="chart-reasons",
        ),
        "ages": charts.bar_chart(labels.CHART_AGES, result.ages, color="#2a9d8f", chart_id="chart-ages"),
        "levels": charts.bar_chart(
            labels.CHART_LEVELS,
            [(labels.label(labels.NEXT_LEVELS, lv), n) for lv, n in result.levels],
            color="#6d597a",
            chart_id="chart-levels",
        ),
    }
    provinces = queries.province_choices() if scope.kind == "admin" else []
    districts = queries.district_choices(province) if province else []
    return render_template(
        "console/figures.html",
        result=result,
        funnel=funnel,
        charts=chart_set,
        area_name=labels.place_name,
        provinces=provinces,
        districts=districts,
        province=province,
        district=district,
        scope_title=scope.title(names),
        sla_hours=_sla(),
    )


# -- exports ---------------------------------------------------------------------------------


def _export_where() -> tuple[list[Any], str]:
    filters = queries.ListFilters.from_args(request.args)
    where = queries._filtered(g.scope, filters)
    if filters.overdue:
        where.append(lifecycle.overdue(_now(), _sla()))
    # A search text may be an applicant's nickname: the audit records that there was one.
    described = " ".join(f"{k}={'…' if k == 'q' else v}" for k, v in filters.query_args(page=None).items()) or "all"
    return where, described


@bp.get("/export.csv")
def export_csv() -> Any:
    where, described = _export_where()
    with services().db.transaction() as tx:
        db = tx.session
        _audit(db, "export_csv", detail=described)
    stamp = _now().astimezone(BANGKOK).strftime("%Y%m%d-%H%M")

    def generate() -> Iterator[bytes]:
        with services().db.transaction(write=False) as tx:
            db = tx.session
            yield from exports.csv_chunks(db, where, [0])

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="rianto-cases-{stamp}.csv"'},
    )


@bp.get("/export.xlsx")
def export_xlsx() -> Any:
    where, described = _export_where()
    with services().db.transaction(write=False) as tx:
        db = tx.session
        out, count = exports.xlsx_file(db, where)
    with services().db.transaction() as tx:
        db = tx.session
        _audit(db, "export_xlsx", detail=f"{described} rows={count}")
    stamp = _now().astimezone(BANGKOK).strftime("%Y%m%d-%H%M")
    return send_file(
        out,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"rianto-cases-{stamp}.xlsx",
    )


# -- audit (admin) ---------------------------------------------------------------------------

AUDIT_PAGE = 100


@bp.get("/audit")
def audit() -> Any:
    if not g.scope.is_admin:
        abort(404)
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    with services().db.transaction(write=False) as tx:
        db = tx.session
        rows = db.execute(
            select(ConsoleAudit, Case.ref)
            .outerjoin(Case, Case.id == ConsoleAudit.case_id)
            .order_by(ConsoleAudit.id.desc())
            .offset((page - 1) * AUDIT_PAGE)
            .limit(AUDIT_PAGE + 1)
        ).all()
        total = db.scalar(select(func.count()).select_from(ConsoleAudit))
        db.expunge_all()
    return render_template(
        "console/audit.html", rows=rows[:AUDIT_PAGE], page=page, has_next=len(rows) > AUDIT_PAGE, total=total
    )


# -- local mode: the simulator's office pane opens the console as its office ------------------


@bp.post("/local-link")
def local_link() -> Any:
    """Local mode only: the simulator's office pane opens the console signed in as the office
    of its simulated group, as `เข้าระบบ` in that group would (the session starts here, in the
    same browser, so the button opens the console directly)."""
    if not services().settings.LOCAL_MODE:
        abort(404)
    payload = request.get_json(silent=True) or {}
    group = payload.get("group")
    if not isinstance(group, str) or not group:
        return jsonify({"error": "group is required"}), 400
    now = _now()
    who = str(payload.get("name") or labels.STAFF)[:100]
    with services().db.transaction() as tx:
        db = tx.session
        office = db.scalar(select(Office).where(Office.line_group_id == group))
        if office is None:
            return jsonify({"error": labels.GROUP_NOT_LINKED}), 404
        kind = "province" if office.kind == "province" else "office"
        token = issue_sign_in_token(db, kind, office.code, now=now, issued_to=who)
        row = use_sign_in_token(db, token, now)
        scope = Scope(kind, office.code)
        db.add(ConsoleAudit(at=now, actor=who, scope=str(scope), action="sign_in", detail=f"local mode, link {row.id}"))
    session.clear()
    session.permanent = True
    session.update(scope=str(scope), who=who, who_id=None, since=now.timestamp())
    return jsonify({"url": url_for("console.case_list")})
