"""`POST /api/v1/introductions` and `GET /api/v1/introductions/{id}`: introductions by partner systems.

A partner organisation's system (a GP practice's clinical system, a council's housing system, a
charity's CRM) introduces someone with its API token. An `Idempotency-Key` header makes a retry
safe: the same key and body give back the introduction already made, never a second one. The
organisation can later ask what happened to an introduction it made, and nothing more.

See docs/api.md for the contract in prose, with examples.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StrictBool, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from livingwell.access.models import Introduction, Place, WorkerPreference, source_for_sector
from livingwell.access.services import IntroductionInput, introduction_create
from livingwell.api.auth import ApiTokenAuth, token_of
from livingwell.api.models import ApiToken
from livingwell.api.problems import problem
from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis
from livingwell.core.errors import DomainError
from livingwell.network.models import Locality
from livingwell.people.nhs_number import validate_nhs_number
from livingwell.people.services import PART_FIELDS, normalise_postcode

router = Router(tags=["introductions"], auth=ApiTokenAuth())

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 200
# Introduction.submission_key holds 200 characters: "api:<organisation id>:" takes 41 of them.
_KEY_ROOM = 200 - len("api::") - 36

# ---- input checks, each with a message that says how to put it right -----------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_LINE_BREAK = re.compile(r"[\t\n\r\u2028\u2029]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")
_PHONE_PUNCTUATION = re.compile(r"[\s+()\-]")


def _text(value: str) -> str:
    """Free text is kept as typed, but control characters (such as NUL) cannot be stored."""
    if _CONTROL.search(value):
        raise PydanticCustomError("control_character", "Remove the control characters (such as NUL) from the text")
    return value


def _line(value: str) -> str:
    _text(value)
    if _LINE_BREAK.search(value):
        raise PydanticCustomError("line_break", "Remove the line breaks and tabs: this is one line of text")
    return value


def _given_name(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("name_missing", "Enter a first name")
    return _line(value)


def _postcode(value: str) -> str:
    _line(value)
    if value.strip():
        try:
            normalise_postcode(value)
        except DjangoValidationError:
            raise PydanticCustomError("postcode", "Enter a full UK postcode, like SW9 8AB") from None
    return value


def _nhs_number(value: str) -> str:
    _line(value)
    if value.strip():
        try:
            validate_nhs_number(value)
        except DjangoValidationError as error:
            raise PydanticCustomError("nhs_number", error.messages[0]) from None
    return value


def _phone(value: str) -> str:
    _line(value)
    digits = _PHONE_PUNCTUATION.sub("", value)
    if value.strip() and (not (digits.isascii() and digits.isdigit()) or not 10 <= len(digits) <= 13):
        raise PydanticCustomError("phone", "Enter a phone number, like 07700 900 982 or 020 7946 0991")
    return value


def _email(value: str) -> str:
    _line(value)
    if value.strip():
        try:
            validate_email(value)
        except DjangoValidationError:
            raise PydanticCustomError(
                "email", "Enter an email address in the right format, like name@example.com"
            ) from None
    return value


def _date_text(value: Any) -> Any:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise PydanticCustomError("date_format", "Give the date as YYYY-MM-DD, like 1984-03-15")
    return value


def _past_date(value: dt.date) -> dt.date:
    if value > timezone.localdate():
        raise PydanticCustomError("date_future", "Date of birth must be in the past")
    if value.year < 1900:
        raise PydanticCustomError("date_too_old", "Date of birth must be after 1900")
    return value


def _datetime_text(value: Any) -> Any:
    if not isinstance(value, str) or not _ISO_DATETIME.match(value):
        raise PydanticCustomError(
            "datetime_format", "Give the date and time in ISO 8601 with a time zone, like 2024-05-01T09:30:00+01:00"
        )
    return value


Line30 = Annotated[str, StringConstraints(max_length=30), AfterValidator(_line)]
Line40 = Annotated[str, StringConstraints(max_length=40), AfterValidator(_line)]
Line60 = Annotated[str, StringConstraints(max_length=60), AfterValidator(_line)]
Line80 = Annotated[str, StringConstraints(max_length=80), AfterValidator(_line)]
Line100 = Annotated[str, StringConstraints(max_length=100), AfterValidator(_line)]
Line120 = Annotated[str, StringConstraints(max_length=120), AfterValidator(_line)]
Line150 = Annotated[str, StringConstraints(max_length=150), AfterValidator(_line)]
Line200 = Annotated[str, StringConstraints(max_length=200), AfterValidator(_line)]
Text300 = Annotated[str, StringConstraints(max_length=300), AfterValidator(_text)]
Text2000 = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_text)]
Text5000 = Annotated[str, StringConstraints(max_length=5000), AfterValidator(_text)]
GivenName = Annotated[str, StringConstraints(max_length=100), AfterValidator(_given_name)]
Postcode = Annotated[str, StringConstraints(max_length=10), AfterValidator(_postcode)]
NhsNumber = Annotated[str, StringConstraints(max_length=14), AfterValidator(_nhs_number)]
Phone = Annotated[str, StringConstraints(max_length=30), AfterValidator(_phone)]
Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_email)]
DateOfBirth = Annotated[dt.date, BeforeValidator(_date_text), AfterValidator(_past_date)]
IntroducedAt = Annotated[dt.datetime, BeforeValidator(_datetime_text)]

# Partner systems belong to organisations: they never introduce themselves, nor as family or friends.
PartnerSource = Literal["gp", "housing", "police", "voluntary", "nhs_service", "local_authority", "other"]


# ---- the body ------------------------------------------------------------------------------------


class _Strict(Schema):
    """Unknown fields are refused, so that a misspelt field is never silently lost."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _named_fields(cls, data: Any) -> Any:
        # An unknown field with an empty name could not be named in the errors: refuse the object instead.
        if isinstance(data, dict) and "" in data:
            raise PydanticCustomError("empty_field_name", "Remove the field with an empty name")
        return data


class PersonIn(_Strict):
    """The person being introduced, and how (and when) they are happy to be contacted."""

    given_name: GivenName = Field(description="First name, as the person gives it.", examples=["Amara"])
    family_name: Line100 | None = Field(None, description="Last name.", examples=["Okafor"])
    preferred_name: Line100 | None = Field(None, description="What they would like to be called.")
    pronouns: Line40 | None = Field(None, examples=["she/her"])
    date_of_birth: DateOfBirth | None = Field(None, description="YYYY-MM-DD.", examples=["1984-03-15"])
    nhs_number: NhsNumber | None = Field(
        None,
        description="10 digits with a valid check digit; spaces and hyphens are allowed. "
        "If Living Well already knows this NHS number, the introduction joins that person's record.",
        examples=["943 476 5919"],
    )
    email: Email | None = Field(None, examples=["amara@example.com"])
    phone: Phone | None = Field(None, description="A UK or international number.", examples=["07700 900982"])
    address_line_1: Line120 | None = Field(None, examples=["12 Acre Lane"])
    address_line_2: Line120 | None = None
    town: Line80 | None = Field(None, examples=["London"])
    postcode: Postcode | None = Field(None, description="A full UK postcode.", examples=["SW2 5SG"])
    first_language: Line60 | None = Field(None, examples=["Yoruba"])
    interpreter_needed: StrictBool = Field(False, description="They would like an interpreter.")
    access_needs: Text2000 | None = Field(
        None, description="Anything that makes it easier to meet or talk.", examples=["Step-free access"]
    )
    may_phone: StrictBool = Field(False, description="We may phone them.")
    may_text: StrictBool = Field(False, description="We may send them a text message.")
    may_email: StrictBool = Field(False, description="We may email them.")
    may_write: StrictBool = Field(False, description="We may send them a letter.")
    may_leave_message: StrictBool = Field(False, description="We may leave a message.")
    contact_times: Line200 | None = Field(
        None, description="When it is OK to contact them.", examples=["Weekday mornings"]
    )


class IntroducerIn(_Strict):
    """Who made the introduction, so that the Hub can talk to them."""

    name: Line150 | None = Field(None, examples=["Dr Priya Shah"])
    role: Line100 | None = Field(None, description="Their job or relationship to the person.", examples=["GP"])
    phone: Phone | None = Field(None, examples=["020 7946 0991"])
    email: Email | None = Field(None, examples=["priya.shah@nhs.net"])


EXAMPLE: dict[str, Any] = {
    "source": "gp",
    "person": {
        "given_name": "Amara",
        "family_name": "Okafor",
        "date_of_birth": "1984-03-15",
        "nhs_number": "943 476 5919",
        "phone": "07700 900982",
        "postcode": "SW2 5SG",
        "may_phone": True,
        "may_text": True,
        "contact_times": "Weekday mornings",
    },
    "in_their_words": "I have not been sleeping since I lost my job, and I feel on my own.",
    "unsafe_now": "no",
    "urgent": False,
    "person_aware": "agrees",
    "agrees_to_share": True,
    "preferred_places": ["cafe", "phone"],
    "worker_preferences": ["peer"],
    "introducer": {"name": "Dr Priya Shah", "role": "GP", "email": "priya.shah@nhs.net"},
    "locality": "North",
}


class IntroductionIn(_Strict):
    """An introduction. Unknown fields are refused, so that a misspelt field is never silently lost."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    source: PartnerSource | None = Field(
        None,
        description="Who is making the introduction. Defaults from the kind of organisation that owns the token "
        "(a GP practice gives `gp`, a housing association `housing`, and so on).",
    )
    person: PersonIn
    in_their_words: Text5000 | None = Field(
        None,
        description="What has brought them here, in the person's own words if possible. Stored exactly as sent.",
    )
    unsafe_now: Literal["yes", "no", "not_sure"] | None = Field(
        None, description="Is anything making them feel unsafe right now? `yes` makes the introduction urgent."
    )
    urgent: StrictBool = Field(False, description="They need contact today.")
    person_aware: Literal["agrees", "knows", "does_not_know"] = Field(
        description="Does the person know about this introduction? `agrees`: they know and agree (and so agree "
        "to be contacted); `knows`: they know but have not agreed yet; `does_not_know`: not yet."
    )
    agrees_to_share: StrictBool = Field(
        False, description="The person agrees to their information being shared within the Living Well network."
    )
    preferred_places: list[Place] = Field(
        default_factory=list, max_length=20, description="Where they would like a first conversation."
    )
    worker_preferences: list[WorkerPreference] = Field(
        default_factory=list, max_length=20, description="What they would like in the worker they meet."
    )
    meeting_note: Text300 | None = Field(None, description="Anything else about meeting.")
    introducer: IntroducerIn | None = None
    locality: Line120 | None = Field(
        None, description="The name of one of the site's localities, if known.", examples=["North"]
    )
    introduced_at: IntroducedAt | None = Field(
        None,
        description="Only when importing historical records: when the introduction was really made. "
        "ISO 8601 with a time zone, not in the future, not before 2000. Defaults to now.",
        examples=["2024-05-01T09:30:00+01:00"],
    )


class IntroductionOut(Schema):
    id: uuid.UUID
    reference: str = Field(description="The reference the person and the Hub use, like LW-7K3M-9QX2.")
    state: str = Field(
        description="Where it has got to: new, contacting, booked, met, withdrawn or unreachable (not reached yet)."
    )
    urgent: bool
    introduced_at: dt.datetime


class IntroductionStatusOut(Schema):
    """What happened to an introduction, and nothing about the person."""

    id: uuid.UUID
    reference: str
    state: str = Field(
        description="Where it has got to: new, contacting, booked, met, withdrawn or unreachable (not reached yet)."
    )
    introduced_at: dt.datetime
    first_conversation_at: dt.date | None = Field(description="The day of the first conversation, once it happened.")


class FieldProblem(Schema):
    field: str = Field(description="The JSON path of the field, like `person.postcode`.")
    message: str


class Problem(Schema):
    """RFC 9457 problem details (`application/problem+json`)."""

    type: str
    title: str
    status: int
    instance: str
    detail: str | None = None
    errors: list[FieldProblem] | None = None


IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": True,
    "description": (
        "A key you make for this introduction (a UUID is ideal), 1 to 200 printable characters. "
        "Send the same key when you retry: you get the same introduction back, with "
        "`Idempotent-Replayed: true`, and no second one is made. A key is yours for good: the same key "
        "with a different body is refused with 422 `idempotency-key-reused`."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX},
    "example": "5f1c7a7e-3b8e-4d7c-9f0e-2a4b6c8d0e1f",
}

# ---- turning the body into the service's input, and its errors into field paths --------------------

_PERSON_FIELDS = frozenset(name for names in PART_FIELDS.values() for name in names)
_INTRODUCER_PATHS = {
    "introducer_name": "introducer.name",
    "introducer_relationship": "introducer.role",
    "introducer_phone": "introducer.phone",
    "introducer_email": "introducer.email",
}


def _json_path(field: str | None) -> str | None:
    if not field or field == "__all__":
        return None
    if field in _PERSON_FIELDS:
        return f"person.{field}"
    return _INTRODUCER_PATHS.get(field, field)


def _code(code: str) -> str:
    return code.replace("_", "-")


def _domain_problem(request: HttpRequest, error: DomainError) -> HttpResponse:
    path = _json_path(error.field)
    return problem(
        request,
        status=422,
        title=error.message,
        code=_code(error.code),
        errors=[{"field": path, "message": error.message}] if path else None,
    )


def _idempotency_key(request: HttpRequest) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None or not 1 <= len(key) <= IDEMPOTENCY_KEY_MAX:
        return None
    if not key.strip() or any(not " " <= ch <= "~" for ch in key):
        return None
    return key


def submission_key(token: ApiToken, key: str) -> str:
    """The key the service keeps, unique per organisation (a long key is kept as its hash, to fit)."""
    if len(key) > _KEY_ROOM:
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return f"api:{token.organisation_id}:{key}"


def submission_hash(request: HttpRequest) -> str:
    """SHA-256 of the body as canonical JSON (sorted keys, no spaces): the same JSON in any layout matches."""
    canonical = json.dumps(json.loads(request.body), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _blank(value: str | None) -> str:
    return value if value is not None else ""


def _person(body: PersonIn) -> dict[str, Any]:
    """The person's fields for the service; a value of only spaces is no value (an NHS number of "  " is none)."""
    fields: dict[str, Any] = {}
    for name, value in body.model_dump().items():
        if value is None or (isinstance(value, str) and not value.strip()):
            value = ""
        fields[name] = value
    return fields


def _locality(token: ApiToken, name: str) -> Locality | None:
    return Locality.objects.filter(site_id=token.organisation.site_id, name__iexact=name.strip()).first()


def _input(token: ApiToken, body: IntroductionIn, locality: Locality | None) -> IntroductionInput:
    organisation = token.organisation
    introducer = body.introducer or IntroducerIn.model_validate({})
    return IntroductionInput(
        site=organisation.site,
        source=body.source or source_for_sector(organisation.sector),
        person=_person(body.person),
        in_their_words=_blank(body.in_their_words),
        unsafe_now=_blank(body.unsafe_now),
        urgent=body.urgent,
        preferred_places=[p.value for p in body.preferred_places],
        worker_preferences=[w.value for w in body.worker_preferences],
        meeting_note=_blank(body.meeting_note),
        # Someone who knows about and agrees to an introduction agrees to be contacted about it.
        agrees_to_contact=body.person_aware == "agrees",
        agrees_to_share=body.agrees_to_share,
        person_aware=body.person_aware,
        introducer_name=_blank(introducer.name),
        introducer_relationship=_blank(introducer.role),
        introducer_phone=_blank(introducer.phone),
        introducer_email=_blank(introducer.email),
        locality=locality,
        organisation=organisation,
        introduced_at=body.introduced_at,
    )


def _location(introduction: Introduction) -> str:
    return reverse("api:introduction_status", kwargs={"introduction_id": introduction.pk})


def _token_name(token: ApiToken) -> str:
    """How the person's access log names a partner system: its token's name and organisation."""
    return f"{token.name} ({token.organisation.name}, API token {token.prefix})"


def _audit_read(request: HttpRequest, token: ApiToken, introduction: Introduction, **detail: Any) -> None:
    audit.record(
        actor=None,
        actor_name=_token_name(token),
        action=Action.VIEW,
        person_id=introduction.person_id,
        basis=Basis.INTRODUCER,
        detail={"api_token": token.prefix, "organisation": token.organisation.name, **detail},
        request=request,
    )


# ---- the operations ----------------------------------------------------------------------------------


@router.post(
    "",
    response={201: IntroductionOut, 400: Problem, 401: Problem, 422: Problem},
    url_name="introduction_create",
    summary="Introduce someone to Living Well",
    description=(
        "Make an introduction for the organisation that owns the token. Nobody is turned away: "
        "anyone can be introduced, for any reason.\n\n"
        "**Retries.** Send an `Idempotency-Key` header. The first request answers `201 Created` with "
        "the introduction and a `Location` header. A retry with the same key and the same body (as JSON: "
        "layout and key order do not matter) answers `201` again with the same introduction (its state "
        "as it is now) and the header `Idempotent-Replayed: true`; nothing new is made. The same key with "
        "a different body is refused: `422` with type `…/idempotency-key-reused`.\n\n"
        "**Historical records.** Give `introduced_at` to import an introduction made in the past; the "
        "waiting clock counts from then.\n\n"
        "**Errors** are RFC 9457 problem details; `errors` names each invalid field by its JSON path "
        "(`person.postcode`), and unknown fields are refused."
    ),
    openapi_extra={"parameters": [IDEMPOTENCY_PARAMETER]},
)
def introduction_create_endpoint(request: HttpRequest, response: HttpResponse, body: IntroductionIn) -> Any:
    token = token_of(request)
    key = _idempotency_key(request)
    if key is None:
        message = f"Send an {IDEMPOTENCY_HEADER} header of 1 to {IDEMPOTENCY_KEY_MAX} printable characters"
        return problem(
            request,
            status=400,
            title=message,
            code="idempotency-key-missing",
            errors=[{"field": IDEMPOTENCY_HEADER, "message": message}],
        )
    locality = None
    if body.locality and body.locality.strip():
        locality = _locality(token, body.locality)
        if locality is None:
            message = "There is no locality with this name in this Living Well network"
            return problem(
                request,
                status=422,
                title=message,
                code="locality-unknown",
                errors=[{"field": "locality", "message": message}],
            )
    try:
        result = introduction_create(
            data=_input(token, body, locality),
            actor=None,
            submission_key=submission_key(token, key),
            submission_hash=submission_hash(request),
            request=request,
            actor_name=_token_name(token),
        )
    except DomainError as error:
        return _domain_problem(request, error)
    introduction = result.introduction
    if not result.created:
        _audit_read(request, token, introduction, replayed=True)
        response["Idempotent-Replayed"] = "true"
    response["Location"] = _location(introduction)
    return Status(
        201,
        IntroductionOut(
            id=introduction.pk,
            reference=introduction.reference,
            state=introduction.state,
            urgent=introduction.urgent,
            introduced_at=introduction.introduced_at.astimezone(dt.UTC),
        ),
    )


@router.get(
    "/{uuid:introduction_id}",
    response={200: IntroductionStatusOut, 401: Problem, 404: Problem},
    url_name="introduction_status",
    summary="What happened to an introduction",
    description=(
        "The reference, where it has got to and the day of the first conversation, for an introduction "
        "made by the token's organisation; nothing about the person. Another organisation's introduction "
        "is `404`, as if it did not exist."
    ),
)
def introduction_status_endpoint(request: HttpRequest, introduction_id: uuid.UUID) -> Any:
    token = token_of(request)
    introduction = Introduction.objects.filter(
        pk=introduction_id, introducing_organisation_id=token.organisation_id
    ).first()
    if introduction is None:
        return problem(request, status=404, title="Not found", detail="Your organisation made no such introduction.")
    _audit_read(request, token, introduction)
    first = introduction.first_conversation_at
    return IntroductionStatusOut(
        id=introduction.pk,
        reference=introduction.reference,
        state=introduction.state,
        introduced_at=introduction.introduced_at.astimezone(dt.UTC),
        first_conversation_at=timezone.localtime(first).date() if first else None,
    )
