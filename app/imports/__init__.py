"""Dataset importers: AidData's GCDF 3.0 and AEI's China Global Investment Tracker.

`bri import aiddata PATH` and `bri import cgit PATH` read a CSV, validate every row, then
write everything in one transaction (see docs/imports.md).
"""
