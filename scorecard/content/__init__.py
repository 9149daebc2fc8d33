"""What the documents say, apart from how they are drawn (issue 16).

objects.py   the plain objects every renderer reads (UnitPage, SummaryPage, Bulletin, MailBody)
blocks.py    the blocks they share: group lines, peer, rank, findings, units to watch, dossiers
options.py   PageOptions, BulletinOptions
page.py      one unit's page          summary.py   the ranked summary
bulletin.py  the Decree 30 report     mail.py      the body of the message carrying a page

Nothing is imported here: the mail job imports content.mail without the page's composers.
"""
