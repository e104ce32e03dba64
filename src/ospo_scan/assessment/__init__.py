"""The OSPO assessment: what the organization uses, creates and governs, as six answers."""
