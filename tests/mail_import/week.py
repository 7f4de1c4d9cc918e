"""A realistic week of mail to admin@intrlume.tech (~40 messages), each with its expected fate.

Used by the tests, and runnable to fill a mailbox by hand (the addresses and names are of
customers in your database: one in a single organization, a colleague, one in two organizations
and the names of those two, a staff member):

    python -m tests.mail_import.week OUT.mbox ada@acme.example carl@acme.example \
        bob@northwind.example "Northwind Traders" "Contoso Labs" sam@intrlume.tech
    flask --app backoffice requests import-mail OUT.mbox
"""

import mailbox
import sys
from datetime import UTC, datetime, timedelta

from . import mails

MONDAY = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=9)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return MONDAY + timedelta(days=day, hours=hour - 8, minutes=minute)


def realistic_week(
    single: str = "ada@acme.example",
    colleague: str = "carl@acme.example",
    multi: str = "bob@northwind.example",
    multi_org_name: str = "Northwind Traders",
    other_org_name: str = "Contoso Labs",
    staff: str = "sam@intrlume.tech",
) -> list[tuple[bytes, str]]:
    """(raw message, expected import status) for a week of requests, replies and noise."""
    week: list[tuple[object, str]] = []

    def add(message, status):
        week.append((message, status))
        return message

    # Monday: the weekend's backlog.
    upgrade = add(
        mails.plain(
            f"Ada Lovelace <{single}>",
            "Upgrade to Business",
            "Hi,\n\nwe hit the agent limit over the weekend. Please upgrade us to Business.\n\nAda",
            date=at(0, 8, 5),
        ),
        "imported",
    )
    add(
        mails.alternative(
            colleague,
            "Widget for our shop",
            "Could you enable embedding? We want the web agent on shop.acme.example.",
            "<p>Could you <b>enable embedding</b>? We want the web agent on shop.acme.example.</p>",
            date=at(0, 8, 40),
        ),
        "imported",
    )
    add(mails.auto_reply(f"Ops <ops@{single.split('@')[1]}>"), "triage")
    add(
        mails.plain(
            "Growth Hacker <deals@leadgen.example>",
            "10x your pipeline",
            "We can send you 5,000 leads a week.",
            date=at(0, 9, 12),
        ),
        "triage",
    )
    number = add(
        mails.plain(
            multi,
            f"New phone number for {multi_org_name}",
            "We need another local number in Chicago (312) for the sales line.",
            date=at(0, 10, 3),
        ),
        "imported",
    )
    add(
        mails.plain(
            multi,
            "Renewal",
            "Please renew our plan before it runs out on Friday.",
            date=at(0, 11, 30),
        ),
        "imported",
    )
    add(
        mails.html_only(
            single,
            "API access",
            "<div>Hello team,<br>our CRM vendor needs <i>API access</i>. "
            "Can you switch it on?</div>",
            date=at(0, 14, 0),
        ),
        "imported",
    )
    add(mails.reply_to(upgrade, single, "Also: we'd prefer annual billing."), "reply")

    # Tuesday.
    add(
        mails.plain(
            single,
            "Nummer kündigen",
            "Bitte entfernen Sie die Nummer +14155550111 – wir brauchen sie nicht mehr. "
            "Please remove number +14155550111.",
            cte="quoted-printable",
            date=at(1, 8, 15),
        ),
        "imported",
    )
    add(
        mails.plain(
            colleague,
            "Billing email",
            "Please change our billing email to accounts@acme.example. Merci !",
            cte="base64",
            date=at(1, 9, 0),
        ),
        "imported",
    )
    add(
        mails.plain(
            "Ängela Ødegård <angela@unknown-co.example>",
            "Frågor om priser – tack!",
            "Hej! Vad kostar en extra nummer?",
            date=at(1, 9, 45),
        ),
        "triage",
    )
    add(mails.reply_to(number, multi, "Any area code in 312 works."), "reply")
    add(
        mails.plain(multi, "Add a number", "One more toll-free number please.", date=at(1, 11, 0)),
        "imported",
    )
    add(mails.bounce(upgrade), "triage")
    customer_mail = mails.plain(
        f"Carl <{colleague}>",
        "Second number",
        "We need a second outbound number.",
        date=at(1, 13, 0),
    )
    add(
        mails.forwarded_attached(staff, customer_mail, "This landed in my inbox, filing it."),
        "imported",
    )
    add(
        mails.plain(
            single,
            "Invoice question",
            "Why was March more expensive than February?",
            date=at(1, 15, 20),
        ),
        "imported",
    )

    # Wednesday.
    embed = add(
        mails.alternative(
            single,
            "Embedding on acme.example",
            "Please enable the widget for https://www.acme.example.",
            "<p>Please enable the widget for https://www.acme.example.</p>",
            date=at(2, 8, 30),
        ),
        "imported",
    )
    add(mails.reply_to(embed, colleague, "And https://help.acme.example too, thanks."), "reply")
    add(
        mails.plain(
            multi,
            f"Downgrade {other_org_name}",
            f"{other_org_name} can move to the Starter plan next month.",
            date=at(2, 9, 10),
        ),
        "imported",
    )
    add(
        mails.plain(
            "Newsletter <news@saas-weekly.example>",
            "This week in SaaS",
            "Top 10 tools.",
            date=at(2, 10, 0),
            Precedence="bulk",
        ),
        "triage",
    )
    add(
        mails.plain(
            single,
            "Rename organization",
            "Please rename us to Acme Robotics International.",
            message_id=False,
            date=at(2, 11, 0),
        ),
        "imported",
    )
    add(mails.UNKNOWN_CHARSET, "error")
    unclear = add(
        mails.plain(
            multi,
            "Upgrade",
            "Can we upgrade? Not sure which of our accounts is on which plan.",
            date=at(2, 14, 0),
        ),
        "imported",
    )

    # Thursday.
    api = add(
        mails.plain(colleague, "API key", "We need an API key for Zapier.", date=at(3, 8, 50)),
        "imported",
    )
    add(mails.reply_to(api, colleague, "Sorry, it's for Make, not Zapier."), "reply")
    add(api, "duplicate")
    add(
        mails.plain(
            multi,
            "Release numbers",
            f"For {multi_org_name}: please release +13125550199 and +13125550198.",
            date=at(3, 10, 0),
        ),
        "imported",
    )
    add(
        mails.plain(
            "postmaster@acme.example",
            "Delayed Mail (still being retried)",
            "Your message is delayed.",
            date=at(3, 11, 0),
        ),
        "triage",
    )
    add(
        mails.plain(
            single.replace("@", "+support@").upper(),
            "Renew for another year",
            "Our plan expires soon; please renew it for 12 months.",
            date=at(3, 13, 0),
        ),
        "imported",
    )
    add(
        mails.html_only(
            colleague,
            "Company address",
            "<p>Our <b>company address</b> moved to 1 Main St, Springfield.</p>",
            date=at(3, 15, 0),
        ),
        "imported",
    )
    add(
        mails.plain(
            "Mallory <mallory@phish.example>",
            "Urgent: verify your account",
            "Click here.",
            date=at(3, 16, 0),
        ),
        "triage",
    )

    # Friday.
    add(
        mails.forwarded_inline(
            colleague,
            mails.plain("Dana <dana@partner.example>", "Numbers", "Please add a UK number."),
            "Forwarding from our partner; please add it to our account.",
        ),
        "imported",
    )
    add(
        mails.plain(
            multi,
            "Thanks",
            "Thanks for the quick help this week!",
            date=at(4, 9, 0),
        ),
        "imported",
    )
    add(mails.auto_reply(single, "Out of Office: Re: Upgrade to Business"), "triage")
    more_numbers = add(
        mails.plain(
            single,
            "Add numbers",
            "Two more numbers for the support team, please.",
            date=at(4, 11, 0),
        ),
        "imported",
    )
    add(more_numbers, "duplicate")
    add(mails.reply_to(unclear, multi, f"Sorry: it's for {other_org_name}."), "reply")
    add(
        mails.plain(
            colleague,
            "Plan",
            "Switch us to the yearly plan from next month, please.",
            date=at(4, 12, 0),
        ),
        "imported",
    )
    add(mails.NOT_A_MAIL, "error")
    add(
        mails.plain(
            colleague,
            "Web agent",
            "Is embedding enabled for us yet?",
            date=at(4, 14, 0),
        ),
        "imported",
    )
    add(
        mails.bounce(upgrade, daemon="mailer-daemon@googlemail.com"),
        "triage",
    )
    return [(mails.as_bytes(message), status) for message, status in week]


def main(argv: list[str]) -> None:
    """Write the week as an mbox file for trying the import by hand."""
    path, *people = argv
    box = mailbox.mbox(path)
    for raw, _ in realistic_week(*people):
        box.add(raw)
    count = len(box)
    box.close()
    print(f"wrote {count} messages to {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
