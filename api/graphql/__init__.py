"""The GraphQL API at /graphql/ (strawberry-graphql-django), over the same data and meaning as REST."""
