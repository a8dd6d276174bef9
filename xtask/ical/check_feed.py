#!/usr/bin/env python3
"""Reads a calendar feed with Python's `icalendar` package (an independent parser) and checks it
against what the test expects, given as JSON on the command line:

    check_feed.py FEED.ics '{"timed": {"UID": "2026-12-03T03:00:00+00:00"}, "all_day": {"UID": ["2026-12-01", "2026-12-03"]}}'

`timed`: events that must start at that instant, with a time zone; `all_day`: events that must be
whole days, [first day, day after the last]. Every event must have a UID, a DTSTAMP and a summary.
Prints what it read; exits 1 with the reason on the first mismatch.
"""

import datetime as dt
import json
import sys

import icalendar


def fail(why):
    print(f"check_feed: {why}", file=sys.stderr)
    sys.exit(1)


def main():
    path, expected = sys.argv[1], json.loads(sys.argv[2])
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    for uid, e in events.items():
        for prop in ("DTSTAMP", "SUMMARY", "DTSTART", "DTEND"):
            if prop not in e:
                fail(f"{uid} has no {prop}")
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        if isinstance(start, dt.datetime):
            if start.tzinfo is None or end.tzinfo is None:
                fail(f"{uid} is a floating time: it must carry its time zone")
        elif type(end) is not dt.date:
            fail(f"{uid} starts on a day but does not end on one")
        if end <= start:
            fail(f"{uid} ends before it starts")
    for uid, instant in expected.get("timed", {}).items():
        if uid not in events:
            fail(f"{uid} is missing; the feed has {sorted(events)}")
        start = events[uid].decoded("DTSTART")
        if not isinstance(start, dt.datetime) or start != dt.datetime.fromisoformat(instant):
            fail(f"{uid} starts {start!r}, expected {instant}")
    for uid, (first, after) in expected.get("all_day", {}).items():
        if uid not in events:
            fail(f"{uid} is missing; the feed has {sorted(events)}")
        start, end = events[uid].decoded("DTSTART"), events[uid].decoded("DTEND")
        if isinstance(start, dt.datetime) or start.isoformat() != first or end.isoformat() != after:
            fail(f"{uid} is {start!r}..{end!r}, expected the whole days {first}..{after}")
    for uid, e in sorted(events.items()):
        print(f"{uid}\t{e.decoded('DTSTART')}\t{e.decoded('DTEND')}\t{e['SUMMARY']}")


if __name__ == "__main__":
    main()
