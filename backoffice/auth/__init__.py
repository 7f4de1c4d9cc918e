"""Customer sign-in, password reset and invitations; the separate staff sign-in."""
