"""Tier 6: payments for completed sessions, and the clients' payment methods."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Any, ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import between, latest
from mentara_seed.enrichers.corpora import billing
from mentara_seed.enrichers.meetings import meeting_end
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import MeetingStatus
from mentara_seed.schema.enums import PaymentStatus as Status
from mentara_seed.schema.values import Row, to_ms

TYPES = tuple(t for t, _ in billing.METHOD_TYPES)
WEIGHTS = tuple(w for _, w in billing.METHOD_TYPES)
DEFAULT_RATE = Decimal(1500)  # pesos an hour, for a therapist without an hourlyRate
PAID = (Status.COMPLETED, Status.REFUNDED)
Wallet = list[tuple[str, bool, bool]]  # (method id, isDefault, planned here), default first


def amount_for(hourly_rate: Decimal | None, minutes: int) -> Decimal:
    """The price of a session: the therapist's hourly rate pro rata, to the centavo."""
    rate = DEFAULT_RATE if hourly_rate is None else Decimal(hourly_rate)
    return (rate * minutes / 60).quantize(Decimal("0.01"))


class PaymentMinimums(Minimums):
    """Payments per completed session and payment methods per paying client."""

    per_meeting: int = Field(1, ge=0, le=1, description="successful payments of each "
                                                         "COMPLETED session")
    methods_per_payer: int = Field(1, ge=0, description="payment methods of each paying client")
    most_methods: int = Field(2, ge=1, description="upper end of a client's usual methods")
    failed_share: float = Field(0.12, ge=0, le=1, description="share of sessions whose first "
                                                              "payment attempt failed")
    refunded_share: float = Field(0.05, ge=0, le=1, description="share of sessions refunded")

    PROFILES: ClassVar = {}


def _verify(live: LiveState, need: PaymentMinimums) -> Iterator[Violation]:
    by_meeting = live.group("Payment", "meetingId")
    for m in live.rows("Meeting"):
        paid = [p for p in by_meeting.get(m["id"], []) if p["status"] in PAID]
        if m["status"] == MeetingStatus.COMPLETED and len(paid) < need.per_meeting:
            # Counted: the session's payments (a person may have marked one as failed).
            yield Violation("payments", f"meeting {m['id']}", "COMPLETED but never paid",
                            inputs=tuple(p["id"] for p in by_meeting.get(m["id"], [])))
        yield from _verify_attempts(live, m, by_meeting.get(m["id"], []))
    methods = live.group("PaymentMethod", "userId")
    for client in sorted({p["clientId"] for p in live.rows("Payment")}):
        mine = methods.get(client, [])
        if len(mine) < need.methods_per_payer:
            yield Violation("payments", f"client {client}",
                            f"{len(mine)}/{need.methods_per_payer} payment methods")
        if mine and sum(1 for pm in mine if pm["isDefault"]) != 1:
            # Their methods are the rows at fault: a person may have changed which is default.
            yield Violation("payments", f"client {client}", "not exactly one default method",
                            rows=tuple(pm["id"] for pm in mine))


def _verify_attempts(live: LiveState, meeting: Row,
                     attempts: list[Row]) -> Iterator[Violation]:
    """A session's payments: same pair, pesos at the therapist's rate, processed after the
    session ended with one of the payer's own methods, failures followed by a success."""
    therapist = live.get("Therapist", meeting["therapistId"]) or {}
    rate = therapist.get("hourlyRate")
    # Each rule reads the payment against its session: a person who edited the session (its
    # duration, its end) made the payment disagree, and the finding is theirs.
    read = (meeting["id"],)
    for p in attempts:
        entity = f"payment {p['id']}"
        method = live.get("PaymentMethod", p["paymentMethodId"] or "")
        if (p["clientId"], p["therapistId"]) != (meeting["clientId"], meeting["therapistId"]):
            yield Violation("payments", entity, "paid by another pair than the session's",
                            inputs=read)
        if p["currency"] != "PHP" or (rate is not None
                                      and p["amount"] != amount_for(rate, meeting["duration"])):
            yield Violation("payments", entity, "not the therapist's rate in PHP", inputs=read)
        if method is not None and method["userId"] != p["clientId"]:
            yield Violation("payments", entity, "paid with someone else's method")
        done = p["processedAt"] if p["status"] in PAID else p["failedAt"]
        if p["status"] != Status.PENDING and (done is None or done < meeting_end(meeting)):
            yield Violation("payments", entity, "not processed after the session ended",
                            inputs=read)
    last_failure = max((p["createdAt"] for p in attempts if p["status"] == Status.FAILED),
                       default=None)
    if last_failure and not any(p["status"] in PAID and p["createdAt"] > last_failure
                                for p in attempts):
        yield Violation("payments", f"meeting {meeting['id']}", "a failed payment never retried",
                        rows=tuple(p["id"] for p in attempts))


@enricher(
    "payments",
    writes=("Payment", "PaymentMethod"),
    depends_on=("meetings",),
    tier=6,
    minimums=PaymentMinimums,
    verify=_verify,
)
def payments(ctx: PlanContext, need: PaymentMinimums) -> Iterator[DesiredRow]:
    """Every COMPLETED session without a foreign payment is paid once, in pesos (PHP), for the
    therapist's hourlyRate x duration / 60: the payment is COMPLETED (now and then REFUNDED a
    few days later), sometimes after a FAILED attempt with a realistic failure reason. It is
    created after the session ended and processed seconds later, never after the anchor.
    Every client with payments (foreign ones included) has payment methods (one to
    ``most_methods``, exactly one isDefault): GCash and Maya wallets, cards (masked number,
    brand, last4, expiry after the anchor), bank accounts (Philippine banks, BRSTN routing) and
    HMO insurance with its provider and coverage. A payment's method always belongs to the
    client who pays; a method was added before its first use, and lastUsed is its last
    payment."""
    foreign_paid = {p["meetingId"] for p in ctx.foreign("Payment") if p["meetingId"]}
    due = [m for m in ctx.rows("Meeting") if m["status"] == MeetingStatus.COMPLETED
           and m["id"] not in foreign_paid and need.per_meeting]
    payers = sorted({m["clientId"] for m in due} | {p["clientId"] for p in ctx.foreign("Payment")})
    wallets = {c: _wallet(ctx, need, c) for c in payers}
    planned = [p for m in due for p in _attempts(ctx, need, m, wallets[m["clientId"]])]
    uses: dict[str, list[dt.datetime]] = {}
    for p in planned:
        uses.setdefault(p["paymentMethodId"], []).append(p.get("processedAt") or p["failedAt"])
    for client in payers:
        yield from _methods(ctx, client, wallets[client], uses)
    for p in planned:
        yield ctx.row("Payment", **p)


def _wallet(ctx: PlanContext, need: PaymentMinimums, client: str) -> Wallet:
    """The client's usable methods as (id, isDefault), the default first: foreign active ones,
    then the slots this enricher adds."""
    foreign = [m for m in ctx.group("PaymentMethod", "userId", foreign=True).get(client, [])
               if m["isActive"]]
    want = max(need.methods_per_payer, 1,
               ctx.rng(client, "payment-methods").randint(1, need.most_methods))
    has_default = any(m["isDefault"] for m in foreign)
    slots = ctx.slots(want - len(foreign), "PaymentMethod",
                      partial(ctx.id, "PaymentMethod", client))
    mine = [(ctx.id("PaymentMethod", client, slot), slot == 0 and not has_default, True)
            for slot in range(slots)]
    methods = [(m["id"], bool(m["isDefault"]), False) for m in foreign] + mine
    return sorted(methods, key=lambda m: not m[1])


def _attempts(ctx: PlanContext, need: PaymentMinimums, meeting: Row,
              wallet: Wallet) -> list[dict[str, Any]]:
    mid = meeting["id"]
    rng = ctx.rng(mid, "payment")
    ended = meeting_end(meeting)
    therapist = ctx.get("Therapist", meeting["therapistId"]) or {}
    base = {"amount": amount_for(therapist.get("hourlyRate"), meeting["duration"]),
            "currency": "PHP", "clientId": meeting["clientId"],
            "therapistId": meeting["therapistId"], "meetingId": mid}
    at = min(ended + dt.timedelta(minutes=rng.randint(2, 45)), latest(ended, ctx.at(hours=-3)))
    out: list[dict[str, Any]] = []
    if rng.random() < need.failed_share:
        failed = at + dt.timedelta(seconds=rng.randint(3, 20))
        out.append({**base, "id": ctx.id("Payment", mid, len(out)), "status": Status.FAILED,
                    "paymentMethodId": _method(ctx, ctx.id("Payment", mid, len(out)),
                                               _draw(rng, wallet), wallet),
                    "failedAt": failed,
                    "failureReason": rng.choice(billing.FAILURE_REASONS), "createdAt": at,
                    "updatedAt": failed})
        at = failed + dt.timedelta(minutes=rng.randint(2, 90))
    processed = at + dt.timedelta(seconds=rng.randint(2, 30))
    refunded = rng.random() < need.refunded_share
    method = _method(ctx, ctx.id("Payment", mid, len(out)), wallet[0][0]
                     if rng.random() < 0.85 or len(wallet) == 1 else _draw(rng, wallet[1:]),
                     wallet)
    updated = (between(rng, min(processed + dt.timedelta(days=1), ctx.anchor),
                       min(processed + dt.timedelta(days=8), ctx.anchor))
               if refunded else processed)
    out.append({**base, "id": ctx.id("Payment", mid, len(out)),
                "status": Status.REFUNDED if refunded else Status.COMPLETED,
                "paymentMethodId": method, "processedAt": processed, "createdAt": at,
                "updatedAt": updated})
    return out


def _draw(rng: random.Random, wallet: Wallet) -> str:
    """A method of the wallet by one draw of a fixed size: the payment's later draws do not
    depend on how many methods the client has."""
    return wallet[int(rng.random() * len(wallet))][0]


def _method(ctx: PlanContext, pid: str, picked: str, wallet: Wallet) -> str:
    """The method an applied payment was made with, while the client still has it; else the
    pick (made either way, so the payment's other draws stay as they were)."""
    return str(ctx.live_choice("Payment", pid, "paymentMethodId",
                               lambda m: any(m == w[0] for w in wallet)) or picked)


def _methods(ctx: PlanContext, client: str, wallet: Wallet,
             used: dict[str, list[dt.datetime]]) -> Iterator[DesiredRow]:
    user = ctx.get("User", client) or {}
    joined = user.get("createdAt") or ctx.at(days=-365)
    for pid, is_default, mine in wallet:
        if not mine:
            continue
        rng = ctx.rng(pid, "payment-method")
        uses = used.get(pid, [])
        first = min(uses) if uses else ctx.anchor
        lo, hi = min(joined, first - dt.timedelta(hours=2)), first - dt.timedelta(hours=1)
        # One draw of a fixed size, so the method's kind and details do not depend on when it
        # was first used; an applied method keeps its date while it is still before that.
        share = rng.random()
        added = ctx.live_choice("PaymentMethod", pid, "createdAt", hi.__ge__) \
            or to_ms(lo + dt.timedelta(seconds=int(share * (hi - lo).total_seconds())))
        kind = rng.choices(TYPES, WEIGHTS)[0]
        yield ctx.row(
            "PaymentMethod", id=pid, userId=client, type=kind, isDefault=is_default,
            isActive=True, lastUsed=max(uses) if uses else None, createdAt=added,
            updatedAt=max(uses) if uses else added, **_details(ctx, rng, kind, user),
        )


def _details(ctx: PlanContext, rng: random.Random, kind: str, user: Row) -> dict[str, Any]:
    """The type-specific columns of one payment method."""
    name = f"{user.get('firstName', 'Mentara')} {user.get('lastName', 'Client')}"
    email = user.get("email")
    mobile = f"09{rng.randint(100000000, 999999999)}"
    if kind == "GCASH":
        return {"nickname": rng.choice(billing.NICKNAMES[kind]), "gcashNumber": mobile,
                "gcashName": name, "isVerified": True, "gcashEmail": email}
    if kind == "MAYA":
        return {"nickname": rng.choice(billing.NICKNAMES[kind]), "mayaNumber": mobile,
                "mayaName": name, "mayaVerified": rng.random() < 0.9, "mayaEmail": email}
    if kind == "BANK_ACCOUNT":
        bank, routing = rng.choice(billing.BANKS)
        nickname = rng.choice(billing.NICKNAMES[kind])
        return {"nickname": nickname and nickname.format(bank=bank.split()[0]),
                "bankName": bank, "routingNumber": routing, "accountHolderName": name,
                "accountType": rng.choice(("savings", "savings", "checking")),
                "accountLast4": f"{rng.randint(0, 9999):04d}"}
    if kind == "INSURANCE":
        insurer, sessions, copay = rng.choice(billing.INSURERS)
        nickname = rng.choice(billing.NICKNAMES[kind])
        return {"nickname": nickname and nickname.format(insurer=insurer),
                "insuranceProviderName": insurer,
                "policyNumber": f"{insurer[:3].upper()}-{rng.randint(10**7, 10**8 - 1)}",
                "memberId": f"{rng.randint(10**9, 10**10 - 1)}",
                "groupNumber": f"GRP-{rng.randint(1000, 9999)}", "insuranceVerified": True,
                "coverageDetails": {"coverage": "outpatient mental health",
                                    "sessionsPerYear": sessions, "copay": copay,
                                    "currency": "PHP"}}
    brand, prefix, card_type = rng.choice(billing.CARD_BRANDS)
    issuer = rng.choice(billing.CARD_ISSUERS)
    last4 = f"{rng.randint(0, 9999):04d}"
    nickname = rng.choice(billing.NICKNAMES["CARD"])
    return {"nickname": nickname and nickname.format(brand=brand, issuer=issuer),
            "cardLast4": last4, "cardBrand": brand, "cardholderName": name.upper(),
            "cardNumber": f"{prefix}{'*' * (4 - len(prefix))} **** **** {last4}",
            "expiryMonth": rng.randint(1, 12), "expiryYear": ctx.anchor.year + rng.randint(1, 5),
            "cardType": card_type,
            "billingAddress": {"line1": user.get("address") or "", "country": "PH"}}
