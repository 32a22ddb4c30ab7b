using Recaps.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddRecapsApi();

var app = builder.Build();
app.UseRecapsApi();
await app.RunAsync();

/// <summary>Entry point; public so functional tests can host the API.</summary>
public partial class Program;
