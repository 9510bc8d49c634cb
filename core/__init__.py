"""CertDesk core: the product's rules, free of any web framework."""
