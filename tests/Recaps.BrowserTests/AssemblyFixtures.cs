using Recaps.Tests;
using Recaps.Tests.Web;

// One PostgreSQL cluster and one Chromium for every test of this tier; each test has its own database and browser context.
[assembly: AssemblyFixture(typeof(PostgresFixture))]
[assembly: AssemblyFixture(typeof(ChromiumFixture))]
