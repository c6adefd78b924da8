"""The two sides of the work every group of people belongs to, whatever the groups are
called: staff (employed to run or deliver the service) and partners (people with lived
experience, carers, community members). An instrument may word a question for each side; a
framework's indicator may name a side instead of a group; records count partners."""

STAFF, PARTNER = "staff", "partner"
SIDES = (STAFF, PARTNER)
