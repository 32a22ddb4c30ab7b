namespace Recaps.Testing;

/// <summary>How a <see cref="ThrowawayPostgres"/> cluster treats the disk.</summary>
public enum PostgresDurability
{
    /// <summary>fsync and full-page writes off: tests need speed, not crash safety of the OS.</summary>
    Fast,

    /// <summary>PostgreSQL's defaults: every commit waits for its WAL to reach the disk, as in production.</summary>
    Durable,
}
