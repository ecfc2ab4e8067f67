"""Access policy, with no knowledge of HTTP or of the database.

Who is calling (:mod:`.principal`: a token's role and the clouds it sees),
what each role may do (:mod:`.roles`), and what a token's value looks like
and how it is kept (:mod:`.token_values`: hashed, compared in constant
time).  The services apply it; the HTTP layer (:mod:`dispatcher.api.access`)
finds the principal of a request and refuses what the policy forbids.
"""
