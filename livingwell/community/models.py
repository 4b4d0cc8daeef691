"""Community offers: an Open Referral UK 3.0 (HSDS 3.0) directory, its imports, postcodes, and the
connections between people and offers.

Each service is kept as its ORUK document (`Service.document`: the full service as the standard
shapes it, with its organisation, locations, schedules, cost options, languages, accessibility,
service areas, contacts and attributes), checked against the compiled schema when it is saved. What
the directory searches and joins on is projected from the document into indexed columns and tables
(organisations, locations with coordinates, service-at-locations, taxonomy terms, weekly opening
slots). Serving a service gives its document back, so what is imported is served unchanged in
meaning, and importing it again changes nothing (the canonical hash is the same). See
docs/adr/0008-community-directory-as-oruk-documents.md.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from livingwell.network.models import Locality, Site, TimestampedModel
from livingwell.people.models import Person

ID_LENGTH = 64


class ServiceStatus(models.TextChoices):
    """HSDS service status."""

    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class Curation(models.TextChoices):
    """Whether an offer appears in the directory: suggestions wait for a curator."""

    PUBLISHED = "published", "In the directory"
    SUGGESTED = "suggested", "Suggested, waiting for a curator"
    DECLINED = "declined", "Not added to the directory"
    WITHDRAWN = "withdrawn", "Taken out of the directory"


class Origin(models.TextChoices):
    IMPORTED = "imported", "Imported from an ORUK feed"
    STAFF = "staff", "Added by Living Well staff"
    SUGGESTION = "suggestion", "Suggested by someone in the network"


class ImportSource(TimestampedModel):
    """Where a directory feed comes from: a council's ORUK API, refreshed on a schedule."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="directory_sources")
    name = models.CharField(max_length=200)
    location = models.CharField("File, folder or base URL of the ORUK API", max_length=500)
    refresh_hours = models.PositiveSmallIntegerField(
        "Hours between refreshes", null=True, blank=True, help_text="Empty: refreshed only when asked."
    )
    last_refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["site", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "location"], name="import_source_unique_location")]

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """One import: what it found, and every record it turned away with the reason."""

    id = models.BigAutoField(primary_key=True)
    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, null=True, blank=True, related_name="runs")
    location = models.CharField(max_length=500)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    modified_after = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True, help_text="[{where, id, reason}] for each record turned away")
    failed = models.TextField("Why the import stopped, if it did", blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Import of {self.location} at {self.started_at:%Y-%m-%d %H:%M}"


class Organization(TimestampedModel):
    """An HSDS organisation, projected from the services that name it (or added by staff)."""

    id = models.CharField(primary_key=True, max_length=ID_LENGTH)
    name = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    document = models.JSONField(default=dict, help_text="The organisation as ORUK shapes it, without its services")
    informal = models.BooleanField(
        "An informal group", default=False, help_text="A group of people rather than a registered organisation"
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="organization_name")]

    def __str__(self) -> str:
        return self.name


class Service(TimestampedModel):
    """One community offer: its ORUK document, where it came from, whether it is in the directory, and
    the columns search uses (projected from the document whenever it is saved)."""

    id = models.CharField(primary_key=True, max_length=ID_LENGTH)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="community_offers")
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="services", db_constraint=False
    )
    document = models.JSONField(help_text="The full service as ORUK 3.0 shapes it")
    hash = models.CharField("Canonical hash of the document", max_length=64)
    origin = models.CharField(max_length=20, choices=Origin.choices)
    curation = models.CharField(max_length=20, choices=Curation.choices, default=Curation.PUBLISHED)
    source = models.ForeignKey(ImportSource, on_delete=models.SET_NULL, null=True, blank=True, related_name="services")
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    curated_at = models.DateTimeField(null=True, blank=True)
    curator_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    # Projections of the document, for search and lists.
    name = models.CharField(max_length=500)
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    description = models.TextField(blank=True)
    search_text = models.TextField(blank=True, help_text="Name, description, organisation and categories, lower case")
    last_modified = models.DateTimeField(null=True, blank=True, db_index=True)
    is_free = models.BooleanField(null=True, help_text="None: not known from the cost options")
    minimum_age = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    maximum_age = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    languages = models.JSONField(default=list, blank=True, help_text="Language codes or names, lower case")
    accessibility = models.TextField(blank=True, help_text="Accessibility words from every location, lower case")
    terms: models.ManyToManyField[TaxonomyTerm, models.Model] = models.ManyToManyField(
        "TaxonomyTerm", blank=True, related_name="services", db_constraint=False
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["curation", "status", "name"], name="service_listed"),
            models.Index(fields=["site", "curation"], name="service_site_curation"),
            # The ORUK API's lists: published offers in name order, read from the index without a sort.
            models.Index(fields=["curation", "name", "id"], name="service_published_by_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Location(TimestampedModel):
    """An HSDS location, projected from the services at it; `lat`/`lng` are where it is drawn on the map
    (the feed's coordinates when they are on Earth, else its postcode's), never served."""

    id = models.CharField(primary_key=True, max_length=ID_LENGTH)
    name = models.CharField(max_length=500, blank=True)
    location_type = models.CharField(max_length=20, default="physical")
    document = models.JSONField(default=dict)
    postcode = models.CharField(max_length=8, blank=True, db_index=True, help_text="Normalised: upper case, no spaces")
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    placed_by = models.CharField(
        max_length=20, blank=True, help_text="'feed', 'postcode' or empty when the location is not on the map"
    )
    locality = models.ForeignKey(Locality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["lat", "lng"], name="location_lat_lng")]

    def __str__(self) -> str:
        return self.name or self.id


class ServiceAtLocation(models.Model):
    id = models.CharField(primary_key=True, max_length=ID_LENGTH)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_here", db_constraint=False)

    class Meta:
        ordering = ["service", "id"]

    def __str__(self) -> str:
        return self.id


class Taxonomy(TimestampedModel):
    id = models.CharField(primary_key=True, max_length=ID_LENGTH)
    name = models.CharField(max_length=500)
    document = models.JSONField(default=dict, help_text="The taxonomy as ORUK shapes it, without its terms")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(TimestampedModel):
    """A category. Parent and taxonomy ids are kept as given: feeds point at records they do not carry."""

    id = models.CharField(primary_key=True, max_length=ID_LENGTH)
    name = models.CharField(max_length=500)
    taxonomy_id = models.CharField(max_length=ID_LENGTH, blank=True, db_index=True)
    parent_id = models.CharField(max_length=ID_LENGTH, blank=True, db_index=True)
    document = models.JSONField(default=dict)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OpeningSlot(models.Model):
    """A weekly opening time from a WEEKLY schedule (monthly rules are answered from the document)."""

    id = models.BigAutoField(primary_key=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="opening_slots")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="opening_slots"
    )
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday")
    opens = models.TimeField()
    closes = models.TimeField()
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["service", "weekday", "opens"]
        indexes = [models.Index(fields=["weekday", "opens", "closes"], name="opening_slot_when")]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0) & Q(weekday__lte=6), name="opening_slot_weekday")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} day {self.weekday} {self.opens}-{self.closes}"


class CapacityUnit(models.Model):
    """HSDS 3.1 unit: what capacity is counted in (places, beds, hours)."""

    id = models.CharField(primary_key=True, max_length=ID_LENGTH, default=uuid.uuid4)
    name = models.CharField(max_length=100, unique=True)
    scheme = models.CharField(max_length=100, blank=True)
    identifier = models.CharField(max_length=100, blank=True)
    uri = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceCapacity(models.Model):
    """HSDS 3.1 service_capacity: how many places an offer has now; served as `capacities`."""

    id = models.CharField(primary_key=True, max_length=ID_LENGTH, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="capacities")
    unit = models.ForeignKey(CapacityUnit, on_delete=models.PROTECT, related_name="+")
    available = models.DecimalField(max_digits=9, decimal_places=2)
    maximum = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    description = models.TextField(blank=True)
    updated = models.DateTimeField()

    class Meta:
        ordering = ["service", "unit"]
        constraints = [
            models.CheckConstraint(condition=Q(available__gte=0), name="capacity_available_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.available} {self.unit_id} at {self.service_id}"


class Postcode(models.Model):
    """A postcode's centre, from the site's postcode file (ONS Postcode Directory or a simple CSV)."""

    code = models.CharField(primary_key=True, max_length=8, help_text="Upper case, no spaces")
    lat = models.FloatField()
    lng = models.FloatField()
    local_authority = models.CharField(max_length=12, blank=True)
    ward = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ConnectionStage(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    INTRODUCED = "introduced", "Introduced"
    WENT = "went", "Went"
    STILL_GOING = "still_going", "Still going"
    DID_NOT_SUIT = "did_not_suit", "Did not suit"


class Connection(TimestampedModel):
    """A person connected to a community offer, followed up until it is settled either way."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="connections")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="connections")
    stage = models.CharField(max_length=20, choices=ConnectionStage.choices, default=ConnectionStage.SUGGESTED)
    why_not = models.TextField("Why it did not suit", blank=True)
    note = models.TextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True, db_index=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["person", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage=ConnectionStage.DID_NOT_SUIT) | ~Q(why_not=""),
                name="connection_did_not_suit_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} to {self.service_id} ({self.stage})"


class ConnectionStep(models.Model):
    """Each move of a connection from one stage to the next, with who and when."""

    id = models.BigAutoField(primary_key=True)
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=20, choices=ConnectionStage.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["connection", "at"]

    def __str__(self) -> str:
        return f"{self.connection_id} {self.stage}"


class Gap(TimestampedModel):
    """A need that no offer met, recorded for the Collaborative (summed up, never shown by person)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="gaps")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="gaps")
    locality = models.ForeignKey(Locality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.SET_NULL, null=True, blank=True, related_name="gaps", db_constraint=False
    )
    need = models.TextField("What was needed")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(need=""), name="gap_says_what_was_needed")]

    def __str__(self) -> str:
        return self.need[:60]
