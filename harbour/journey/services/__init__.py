"""Every write to the child's journey, one function per action: keyword-only arguments,
validation inside, one transaction, audited. Screens, imports and the API call these.

One module per part of the journey (`front_door`, `chronology`, ...)."""
