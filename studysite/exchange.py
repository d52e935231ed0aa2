"""Study sets and their notes in export files, and the save-with-validation every import uses."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import models

from .models import NoteSection, StudySet

MAX_BYTES = 5 * 1024 * 1024


class ImportRejected(ValueError):
    """The file cannot be imported; ``problems`` lists every reason, each naming its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, refused by its real size before more than the limit is read."""
    if upload.size > MAX_BYTES:
        raise ImportRejected([size_problem(upload.size)])
    return upload.read()


def size_problem(size: int) -> str:
    return f"The file is {size / 2**20:.1f} MiB; the limit is {MAX_BYTES // 2**20} MiB."


def decode(content: bytes) -> str:
    """An uploaded file as text: at most MAX_BYTES, and UTF-8 (a byte-order mark is allowed)."""
    if len(content) > MAX_BYTES:
        raise ImportRejected([size_problem(len(content))])
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected([f"The file is not UTF-8 text: byte {error.start} cannot be decoded."]) from None


def load_json(text: str, *, fmt: str, kind: str, parts: dict[str, type]) -> dict:
    """A StudySite JSON file of the given "format", with the top-level parts of the given types."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRejected([f"line {error.lineno}: not valid JSON ({error.msg})"]) from None
    except RecursionError:
        raise ImportRejected(["the JSON is nested too deeply to be a StudySite file"]) from None
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise ImportRejected([f'the file is not a StudySite {kind}: "format" must be "{fmt}"'])
    if not all(isinstance(data.get(name), expected) for name, expected in parts.items()):
        wanted = " and ".join(f'a "{name}" {"list" if t is list else "object"}' for name, t in parts.items())
        raise ImportRejected([f"a {kind} file needs {wanted}"])
    return data


class Record:
    """One object of an import file, read field by field with each field's type checked first.

    A field of the wrong type is a problem naming its place and field, collected with every other
    problem of the file; the value read is then the default, so parsing goes on to find the rest.
    """

    TYPE_NAMES = {
        str: "text",
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }

    def __init__(self, data: object, where: str, problems: list[str]) -> None:
        self.where, self.problems = where, problems
        self.valid = isinstance(data, dict)
        if not self.valid:
            problems.append(f"{where}: must be an object")
        self.data = data if self.valid else {}

    def get(self, name: str, kind: type, default=None):
        value = self.data.get(name)
        if value is None:
            return default
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            self.problems.append(f"{self.where}, field {name}: must be {self.TYPE_NAMES[kind]}")
            return default
        return value

    def text(self, name: str) -> str:
        return self.get(name, str, "")

    def present(self, **kinds: type) -> dict:
        """The fields of these names that the record has, each of its kind."""
        return {name: self.get(name, kind) for name, kind in kinds.items() if name in self.data}


def parse_study_set(data: object, problems: list[str]) -> dict | None:
    """A study set and its note sections from a file, every field's type checked."""
    if data is None:
        return None
    record = Record(data, "study set", problems)
    sections = []
    for number, section in enumerate(record.get("sections", list, []), start=1):
        item = Record(section, f"section {number}", problems)
        sections.append(
            {
                "order": item.get("order", int),
                "title": item.text("title"),
                "anchor": item.text("anchor"),
                "body": item.text("body"),
            }
        )
    return {
        "title": record.text("title"),
        "slug": record.text("slug"),
        "description": record.text("description"),
        "sections": sections,
    }


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP).
FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralise_cell(text: str) -> str:
    """Prefix an apostrophe to a cell a spreadsheet would run, so it shows as text.

    Cells already starting with apostrophes before such a character get one more, so that
    ``restore_cell`` can always tell the prefix from content and a round trip changes nothing.
    (defusedcsv misses tab and CR, and its prefix cannot be told apart from a real apostrophe.)
    """
    return "'" + text if text.lstrip("'")[:1] in FORMULA_STARTS else text


def restore_cell(text: str) -> str:
    """Undo ``neutralise_cell`` on import."""
    return text[1:] if text.startswith("'") and text.lstrip("'")[:1] in FORMULA_STARTS else text


def export_study_set(study_set: StudySet | None) -> dict | None:
    if study_set is None:
        return None
    return {
        "title": study_set.title,
        "slug": study_set.slug,
        "description": study_set.description,
        "sections": [
            {"order": s.order, "title": s.title, "anchor": s.anchor, "body": s.body}
            for s in study_set.note_sections.all()
        ],
    }


def checked(obj: models.Model, where: str) -> None:
    """Validate a row as the admin would, naming where in the file it came from, then save it."""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise ValidationError(
            [f"{where}, field {name}: {' '.join(messages)}" for name, messages in error.message_dict.items()]
        ) from None
    obj.save()


def validation_problems(obj: models.Model, where: str, *, exclude: list[str]) -> list[str]:
    """The admin's field validation, without the uniqueness queries the plan checks in bulk."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            f"{where}, field {name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        ]
    return []


def import_target(
    model: type[models.Model], described: dict | None, given, *, label: str, problems: list[str]
):
    """What an import writes into: the deck or quiz given, or else the one the file describes, by slug.

    A described one is found by its slug or made new (unsaved), its fields set from the file and
    validated like the rest of the file, before anything is written.
    """
    if described is None:
        return given
    slug = described.get("slug") or ""
    target = model.objects.filter(slug=slug).first() or model(slug=slug)
    for name, value in described.items():
        if name != "slug" and value is not None:
            setattr(target, name, value)
    problems += validation_problems(target, label, exclude=["study_set"])
    return target


def repeated_guid_problems(rows: list, kind: str) -> list[str]:
    """Each GUID that stands on more than one row of the file, with the places it stands."""
    guids = [row.guid for row in rows if row.guid]
    return [
        f"{', '.join(row.where for row in rows if row.guid == guid)}: the same {kind} (GUID {guid}) "
        "appears more than once"
        for guid in sorted({g for g in guids if guids.count(g) > 1})
    ]


def save_target(target: models.Model, *, study_set: dict | None, described: bool) -> dict[str, NoteSection]:
    """Inside the write: save the deck or quiz an import fills (and its study set); its notes by anchor."""
    if study_set:
        target.study_set = save_study_set(study_set)
    if described or target.pk is None:
        target.save()
    return section_anchors(target.study_set)


def link_rows(rows: list, *, parent: str, target: models.Model, sections: dict, anchors: dict) -> None:
    """Point built rows at their now saved deck or quiz, and at their notes section by anchor."""
    for row in rows:
        setattr(row, parent, target)
        if id(row) in anchors:
            row.notes_section = sections.get(anchors[id(row)] or "")


def save_study_set(data: dict) -> StudySet:
    """Create or update a study set and its note sections, matched by slug and anchor."""
    study_set = StudySet.objects.filter(slug=data.get("slug")).first() or StudySet(slug=data.get("slug"))
    study_set.title, study_set.description = data.get("title", ""), data.get("description", "")
    checked(study_set, "study set")
    for number, section in enumerate(data.get("sections", []), start=1):
        note = NoteSection.objects.filter(study_set=study_set, anchor=section.get("anchor")).first()
        note = note or NoteSection(study_set=study_set, anchor=section.get("anchor"))
        note.order, note.title, note.body = (
            section.get("order"),
            section.get("title", ""),
            section.get("body", ""),
        )
        checked(note, f"section {number}")
    return study_set


def section_anchors(study_set: StudySet | None) -> dict[str, NoteSection]:
    return {s.anchor: s for s in NoteSection.objects.filter(study_set=study_set)} if study_set else {}
