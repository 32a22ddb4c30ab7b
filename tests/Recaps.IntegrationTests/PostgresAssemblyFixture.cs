using Recaps.Tests;

// One PostgreSQL cluster for every test of this tier.
[assembly: AssemblyFixture(typeof(PostgresFixture))]
