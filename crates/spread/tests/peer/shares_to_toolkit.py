"""Turns a plain shares table (object_id,account_id,content_id,timestamp_share)
into the CSV coordination-network-toolkit preprocesses (message_id, user_id,
username, repost_id, reply_id, message, timestamp, urls).

Every share becomes one repost of its object. The message id is the row
number, not content_id: the toolkit keeps one message per id, and content_id
repeats where one post shared two objects, so keying on it would drop shares
that tamis counts.
"""

import csv
import sys


def main(source, target):
    with open(source, newline="", encoding="utf-8") as inp, open(
        target, "w", newline="", encoding="utf-8"
    ) as out:
        reader = csv.DictReader(inp)
        writer = csv.writer(out)
        writer.writerow(
            ["message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp", "urls"]
        )
        for number, row in enumerate(reader, start=1):
            writer.writerow(
                [
                    number,
                    row["account_id"],
                    row["account_id"],
                    row["object_id"],
                    "",
                    "",
                    row["timestamp_share"],
                    "",
                ]
            )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
