"""GOV.UK Frontend look and feel: form rendering, template tags, error and static pages."""
