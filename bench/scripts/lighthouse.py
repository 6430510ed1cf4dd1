"""Reads a Lighthouse JSON report for bench/run.sh.

lighthouse.py REPORT scores   -> "Performance 86 · Accessibility 96 · ..."
lighthouse.py REPORT ok       -> 1 when every category scores 100, else 0
lighthouse.py REPORT misses   -> one Markdown list line per weighted audit below full marks
"""
import json
import sys

report = json.load(open(sys.argv[1]))
categories = report["categories"].values()
mode = sys.argv[2]
if mode == "scores":
    print(" · ".join(f"{c['title']} {round(c['score'] * 100)}" for c in categories))
elif mode == "ok":
    print(1 if all(c["score"] == 1 for c in categories) else 0)
else:
    for category in categories:
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                shown = f", {audit['displayValue']}" if audit.get("displayValue") else ""
                print(f"  - {category['title']}: {audit['title']} (score {audit['score']}{shown})")
