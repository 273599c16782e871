"""Tier 0: users of every role with their role rows, and the real app's fixed test accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import ClassVar

from pydantic import Field

from mentara_seed.enrichers.common import (
    ADMIN,
    CLIENT,
    FIXED_PASSWORD,
    MODERATOR,
    ROLE_TABLE,
    ROLES,
    THERAPIST,
    between,
    fixed_ids,
)
from mentara_seed.enrichers.corpora import people
from mentara_seed.enrichers.registry import DesiredRow, Minimums, Violation, enricher
from mentara_seed.planner.context import PlanContext
from mentara_seed.planner.ids import Ring
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.enums import TherapistApplicationStatus as Status
from mentara_seed.schema.values import Row

_ROLE_PK = "userId"


class UserMinimums(Minimums):
    """Users per role (the real app's fixed test accounts count toward them)."""

    clients: int = Field(25, ge=0, description="users with role client")
    therapists: int = Field(12, ge=0, description="users with role therapist")
    admins: int = Field(4, ge=0, description="users with role admin")
    moderators: int = Field(4, ge=0, description="users with role moderator")
    fixed_accounts: bool = Field(True, description="create dev_<role>_1..3 test accounts")
    password: str = Field(FIXED_PASSWORD, description="password of every seeded account")

    PROFILES: ClassVar = {
        "light": {"clients": 8, "therapists": 4, "admins": 2, "moderators": 2},
        "heavy": {"clients": 80, "therapists": 25, "admins": 6, "moderators": 8},
    }
    SCALED: ClassVar = ("clients", "therapists", "admins", "moderators")

    def per_role(self, role: str) -> int:
        return {CLIENT: self.clients, THERAPIST: self.therapists, ADMIN: self.admins,
                MODERATOR: self.moderators}[role]


def _verify(live: LiveState, need: UserMinimums) -> Iterator[Violation]:
    # A user counts for a role only with its role row (Client, Therapist, …), as in the app.
    by_role = live.group("User", "role")
    for role in ROLES:
        role_rows = live.by_pk(ROLE_TABLE[role])
        have = sum(1 for u in by_role.get(role, []) if u["id"] in role_rows)
        if have < need.per_role(role):
            # Counted: the users of the role and the role rows (a person who changed a
            # seeded user's role took them out of it, and the shortfall is theirs).
            counted = sorted(set(role_rows) | {u["id"] for u in by_role.get(role, [])})
            yield Violation("users", f"role {role}",
                            f"{have}/{need.per_role(role)} users with a {ROLE_TABLE[role]} row",
                            inputs=tuple(counted))


@enricher(
    "users",
    writes=("User", "Client", "Therapist", "Admin", "Moderator"),
    tier=0,
    minimums=UserMinimums,
    verify=_verify,
    reads=("ModeratorCommunity",),
)
def users(ctx: PlanContext, need: UserMinimums) -> Iterator[DesiredRow]:
    """The profile's number of users per role, each with its role row (Client, Therapist,
    Admin, Moderator; a user without one does not count for the role): realistic names,
    bcrypt-hashed passwords, emails that no other user has, therapists mostly APPROVED with a
    few PENDING and REJECTED applications; plus the fixed test accounts ``dev_<role>_1..3``
    (``<id>@mentaratest.dev``, password ``password123``), each with an ordinary name of its own,
    the same for every project seed (Ligaya Manalo is ``dev_client_1``)."""
    foreign_by_role = ctx.group("User", "role", foreign=True)
    # Emails held by any live row but the one that gets the slot: foreign users, and owned
    # users on their way out (a plan creates before it deletes).
    taken = {u["email"]: u["id"] for u in ctx.live.rows("User")}
    password = ctx.password(need.password)
    planned: dict[str, list[Row]] = {}
    for role in ROLES:
        fixed = fixed_ids(role) if need.fixed_accounts else []
        role_rows = {r[_ROLE_PK] for r in ctx.rows(ROLE_TABLE[role])}
        foreign = [u for u in foreign_by_role.get(role, [])
                   if u["id"] not in fixed and u["id"] in role_rows]
        gap = ctx.slots(need.per_role(role) - len(fixed) - len(foreign), "User",
                        partial(ctx.id, "User", role))
        accounts = [_fixed_user(ctx, role, uid, n, password) for n, uid in enumerate(fixed, 1)]
        accounts += [_generated_user(ctx, role, slot, password, taken) for slot in range(gap)]
        planned[role] = accounts
        for user in accounts:
            yield ctx.row("User", **user)
    admin_ids = sorted({u["id"] for u in planned[ADMIN]}
                       | {a["userId"] for a in ctx.rows("Admin")})
    admins = ctx.ring(admin_ids, "processed-by")
    for user in planned[CLIENT]:
        yield _client(ctx, user)
    for user in planned[THERAPIST]:
        yield _therapist(ctx, user, admins)
    for user in planned[ADMIN]:
        yield _admin(ctx, user)
    for user in planned[MODERATOR]:
        yield _moderator(ctx, user)


def _fixed_user(ctx: PlanContext, role: str, uid: str, n: int, password: str) -> Row:
    created = ctx.at(days=-365 + n)
    first, last = people.FIXED_NAMES[role][n - 1]
    return {
        "id": uid, "email": f"{uid}@mentaratest.dev", "firstName": first,
        "lastName": last, "role": role, "password": password,
        "birthDate": dt.datetime(1990 + n, n, 10 + n) if role == CLIENT else None,
        "emailVerified": True, "createdAt": created, "updatedAt": created,
        "lastLoginAt": ctx.at(days=-n), "bio": f"Fixed test account for {role} flows.",
    }


def _free_email(email: str, uid: str, taken: dict[str, str]) -> str:
    """``email``, or ``local+N@domain`` with the smallest N no other user has."""
    local, domain = email.split("@")
    n = 1
    while taken.get(email, uid) != uid:
        n += 1
        email = f"{local}+{n}@{domain}"
    return email


def _generated_user(ctx: PlanContext, role: str, slot: int, password: str,
                    taken: dict[str, str]) -> Row:
    uid = ctx.id("User", role, slot)
    rng = ctx.rng(uid, "profile")
    first, last = rng.choice(people.FIRST_NAMES), rng.choice(people.LAST_NAMES)
    city, _province = rng.choice(people.CITIES)
    created = between(rng, ctx.at(days=-540), ctx.at(days=-45))
    handle = f"{first}.{last}".lower().replace(" ", "")
    bio_pool = people.THERAPIST_BIOS if role == THERAPIST else people.CLIENT_BIOS
    age_days = rng.randint(19 * 365, 58 * 365)
    return {
        "id": uid,
        "email": _free_email(f"{handle}.{role[0]}{slot + 1}@mentara.test", uid, taken),
        "firstName": first,
        "middleName": rng.choice((None, None, "A.", "M.", "R.", "L.")),
        "lastName": last,
        "birthDate": ctx.at(days=-age_days).replace(hour=0, minute=0, second=0, microsecond=0),
        "address": f"{rng.randint(1, 250)} {rng.choice(people.STREETS)}, {city}",
        "role": role,
        "createdAt": created,
        "updatedAt": between(rng, created, ctx.at(days=-1)),
        "password": password,
        "emailVerified": rng.random() < 0.9,
        "avatarUrl": f"https://i.pravatar.cc/300?u={uid}",
        "bio": rng.choice(bio_pool),
        "lastLoginAt": between(rng, ctx.at(days=-30), ctx.at(hours=-1)),
    }


def _client(ctx: PlanContext, user: Row) -> DesiredRow:
    rng = ctx.rng(user["id"], "client")
    city, _ = rng.choice(people.CITIES)
    return ctx.row(
        "Client", userId=user["id"], hasSeenTherapistRecommendations=rng.random() < 0.6,
        birthdate=user["birthDate"], city=city, country="Philippines",
        createdAt=user["createdAt"], updatedAt=user["createdAt"],
    )


def _status(ctx: PlanContext, user: Row) -> Status:
    if user["id"].startswith("dev_"):
        return Status.APPROVED
    roll = ctx.rng(user["id"], "application").random()
    return Status.APPROVED if roll < 0.8 else Status.PENDING if roll < 0.9 else Status.REJECTED


def _therapist(ctx: PlanContext, user: Row, admins: Ring) -> DesiredRow:
    uid = user["id"]
    rng = ctx.rng(uid, "therapist")
    status = _status(ctx, user)
    city, province = rng.choice(people.CITIES)
    submitted = user["createdAt"]
    processed = between(rng, submitted, submitted + dt.timedelta(days=14))
    expertise = sorted(rng.sample(people.EXPERTISE, 3))
    approaches = sorted(rng.sample(people.APPROACHES, 2))
    languages = ["English", "Filipino"] + sorted(rng.sample(people.LANGUAGES[2:], 1))
    years = rng.randint(2, 25)
    rate = Decimal(100) if uid.startswith("dev_") else Decimal(rng.randrange(800, 3001, 100))
    license_type = rng.choice(people.LICENSE_TYPES)
    return ctx.row(
        "Therapist",
        userId=uid, mobile=f"+639{rng.randint(100000000, 999999999)}", province=province,
        timezone="Asia/Manila", status=status, submissionDate=submitted,
        processingDate=processed,
        processedByAdminId=(ctx.live_choice("Therapist", uid, "processedByAdminId",
                                            admins.__contains__)
                            or admins.pick_one(uid, "processed-by")
                            if status != Status.PENDING else None),
        providerType=rng.choice(people.PROVIDER_TYPES), professionalLicenseType=license_type,
        isPRCLicensed="Yes", prcLicenseNumber=f"{rng.randint(1000000, 9999999):07d}",
        expirationDateOfLicense=ctx.at(days=rng.randint(120, 900)).replace(hour=0, minute=0,
                                                                           second=0),
        practiceStartDate=ctx.at(days=-365 * years).replace(hour=0, minute=0, second=0),
        licenseVerified=status == Status.APPROVED,
        licenseVerifiedAt=processed if status == Status.APPROVED else None,
        certifications={"board": license_type, "continuingEducationHours": rng.randint(10, 80)},
        certificateUrls=[f"https://files.mentara.test/certificates/{uid}/board.pdf"],
        certificateNames=["Board certificate.pdf"],
        licenseUrls=[f"https://files.mentara.test/licenses/{uid}/prc.pdf"],
        licenseNames=["PRC license.pdf"],
        yearsOfExperience=years, educationBackground=rng.choice(people.EDUCATION),
        specialCertifications=sorted(rng.sample(("CBT-I", "EMDR Level 1", "DBT Foundations",
                                                 "Trauma-Focused CBT"), 1)),
        practiceLocation=city,
        acceptsInsurance=rng.random() < 0.5,
        acceptedInsuranceTypes=sorted(rng.sample(people.INSURANCE, 2)),
        areasOfExpertise=expertise, assessmentTools=sorted(rng.sample(people.ASSESSMENT_TOOLS, 3)),
        therapeuticApproachesUsedList=approaches, languagesOffered=languages,
        providedOnlineTherapyBefore=rng.random() < 0.85, comfortableUsingVideoConferencing=True,
        preferredSessionLength=sorted(rng.sample([30, 45, 60, 90], 2)),
        privateConfidentialSpace="Yes", compliesWithDataPrivacyAct=True,
        professionalLiabilityInsurance=rng.choice(("Yes", "No")),
        complaintsOrDisciplinaryActions="None",
        willingToAbideByPlatformGuidelines=True,
        expertise=expertise, approaches=approaches, languages=languages,
        illnessSpecializations=expertise[:2], acceptTypes=["individual", "couples"][
            : rng.randint(1, 2)],
        treatmentSuccessRates={e: round(rng.uniform(0.6, 0.92), 2) for e in expertise},
        sessionLength=rng.choice(("45 minutes", "60 minutes")), hourlyRate=rate,
        createdAt=submitted, updatedAt=processed,
    )


def _admin(ctx: PlanContext, user: Row) -> DesiredRow:
    rng = ctx.rng(user["id"], "admin")
    level = "super_admin" if user["id"] == "dev_admin_1" else rng.choice(("admin", "admin",
                                                                          "support"))
    return ctx.row(
        "Admin", userId=user["id"], permissions=sorted(rng.sample(people.ADMIN_PERMISSIONS, 4)),
        adminLevel=level, createdAt=user["createdAt"], updatedAt=user["createdAt"],
    )


def assigned_communities(ctx: PlanContext, moderator_id: str) -> list[str]:
    """``Moderator.assignedCommunities``: the app's denormalised copy of the moderator's
    ModeratorCommunity rows (community ids, sorted), derived from the projected state so the
    users and moderator-assignments enrichers always agree on it."""
    rows = ctx.group("ModeratorCommunity", "moderatorId").get(moderator_id, [])
    return sorted(r["communityId"] for r in rows)


def moderator_row(ctx: PlanContext, user_id: str, created: dt.datetime) -> DesiredRow:
    rng = ctx.rng(user_id, "moderator")
    return ctx.row(
        "Moderator", userId=user_id,
        permissions=sorted(rng.sample(people.MODERATOR_PERMISSIONS, 3)),
        assignedCommunities=assigned_communities(ctx, user_id), createdAt=created,
        updatedAt=created,
    )


def _moderator(ctx: PlanContext, user: Row) -> DesiredRow:
    return moderator_row(ctx, user["id"], user["createdAt"])
