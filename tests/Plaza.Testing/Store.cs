namespace Plaza.Testing;

public enum Store
{
    Sqlite,
    Postgres,
}
