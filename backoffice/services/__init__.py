"""The only writers: each public function is one business operation in one transaction."""
