#!/usr/bin/env python3
"""Posts a realistic night of RMM and backup events for the demo clients to /api/v1/events.

    limelight token add --name demo-rmm --scope all --permissions ingest,read > token.txt
    python3 scripts/rmm-night.py --token "$(cat token.txt)" [--url http://127.0.0.1:3000] [--night YYYY-MM-DD]

Last night (default) in each client's own time zone: patches on several machines, one of which
needed a second try; a backup check that failed, was re-run and succeeded; and for Harbor
Architects a nightly maintenance task. Some machines carry the names the RMM gives them
(ACME-FD01 …), which the portal lists on the client's staff page to be mapped to a system;
others use the portal's own system names and are linked at once. Running it again for the same
night changes nothing: every event has a stable id, and the request an Idempotency-Key.
Only Python's standard library is needed.
"""

import argparse
import datetime as dt
import json
import sys
import urllib.error
import urllib.request
from zoneinfo import ZoneInfo

# client slug -> its night: (minutes after 22:00 local, system, kind, result, minutes, title)
NIGHTS = {
    "acme-dental": [
        (0, "File server FS01", "patch", "succeeded", 18, "Windows Server cumulative update"),
        (5, "ACME-FD01", "patch", "succeeded", 11, "Windows 11 cumulative update"),
        (7, "ACME-FD02", "patch", "succeeded", 12, "Windows 11 cumulative update"),
        (9, "ACME-FD03", "patch", "failed", 9, "Windows 11 cumulative update: reboot pending"),
        (11, "ACME-FD04", "patch", "succeeded", 10, "Windows 11 cumulative update"),
        (14, "ACME-FD05", "patch", "succeeded", 13, "Windows 11 cumulative update"),
        (16, "ACME-FD06", "patch", "succeeded", 12, "Windows 11 cumulative update"),
        (95, "ACME-FD03", "patch", "succeeded", 14, "Windows 11 cumulative update (after reboot)"),
        (180, "Offsite backup", "backup_check", "failed", 4, "Nightly job: target unreachable"),
        (240, "Offsite backup", "backup_check", "succeeded", 38, "Nightly job re-run: 212 GB verified"),
    ],
    "northwind-legal": [
        (30, "NW-LAPTOP01", "patch", "succeeded", 15, "Windows 11 cumulative update"),
        (32, "NW-LAPTOP02", "patch", "succeeded", 16, "Windows 11 cumulative update"),
        (35, "NW-LAPTOP03", "patch", "succeeded", 14, "Windows 11 cumulative update"),
        (37, "NW-LAPTOP04", "patch", "succeeded", 17, "Windows 11 cumulative update"),
        (200, "Document management (iManage)", "backup_check", "succeeded", 22, "Nightly job: 48 GB verified"),
    ],
    "harbor-architects": [
        (60, "CAD workstations", "patch", "succeeded", 25, "Graphics driver and Windows updates"),
        (150, "NAS storage", "maintenance", "succeeded", 30, "Disk health check and snapshot clean-up"),
        (210, "NAS storage", "backup_check", "succeeded", 41, "Cloud sync verified"),
    ],
}


def call(url, token, method="GET", body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, json.loads(res.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default="http://127.0.0.1:3000")
    p.add_argument("--token", required=True, help="a token with the ingest and read permissions")
    p.add_argument("--night", help="YYYY-MM-DD: the evening the night starts (default: yesterday)")
    args = p.parse_args()
    base = args.url.rstrip("/")
    events = []
    for slug, night in NIGHTS.items():
        status, client = call(f"{base}/api/v1/clients/{slug}", args.token)
        if status != 200:
            print(f"skipping {slug}: {status} {client.get('detail') if client else ''}", file=sys.stderr)
            continue
        tz = ZoneInfo(client["time_zone"])
        evening = (
            dt.date.fromisoformat(args.night)
            if args.night
            else dt.datetime.now(tz).date() - dt.timedelta(days=1)
        )
        start = dt.datetime.combine(evening, dt.time(22, 0), tzinfo=tz)
        for n, (minutes, system, kind, result, duration, title) in enumerate(night):
            at = (start + dt.timedelta(minutes=minutes)).astimezone(dt.timezone.utc)
            events.append(
                {
                    "source": "ninjaone",
                    "external_id": f"demo-{slug}-{evening.isoformat()}-{n}",
                    "client": slug,
                    "system": system,
                    "kind": kind,
                    "occurred_at": at.isoformat().replace("+00:00", "Z"),
                    "duration_minutes": duration,
                    "result": result,
                    "title": title,
                    "actor": "automation",
                }
            )
    if not events:
        sys.exit("no client could be read: does the token have the read permission?")
    night_key = args.night or "last-night"
    status, report = call(
        f"{base}/api/v1/events",
        args.token,
        "POST",
        {"events": events},
        {"Idempotency-Key": f"demo-{night_key}-{dt.date.today().isoformat()}"},
    )
    if status != 200:
        sys.exit(f"the portal answered {status}: {json.dumps(report)}")
    print(
        f"{len(events)} events: {report['created']} created, {report['updated']} updated, "
        f"{report['unchanged']} unchanged, {report['rejected']} rejected"
    )
    for item in report["items"]:
        if item["outcome"] == "rejected":
            print(f"  event {item['index']} ({item.get('external_id')}): {item.get('reason')}", file=sys.stderr)


if __name__ == "__main__":
    main()
