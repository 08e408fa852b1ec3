"""Safety layer: the cited evidence base (`evidence`), the dose screen (`screen`) and the claim check (`claims`)."""
