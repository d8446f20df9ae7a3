"""Web push: VAPID keys now; the sender and subscriptions build on them."""
