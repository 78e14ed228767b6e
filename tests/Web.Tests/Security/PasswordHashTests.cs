using MusicSearch.Web.Security;

namespace MusicSearch.Web.Tests.Security;

public sealed class PasswordHashTests
{
    [Fact]
    public void A_hash_verifies_its_password_only()
    {
        var hash = PasswordHash.Create("s3cret!", iterations: 1000);
        Assert.StartsWith("pbkdf2-sha256$1000$", hash);
        Assert.True(PasswordHash.Verify("s3cret!", hash));
        Assert.False(PasswordHash.Verify("s3cret", hash));
        Assert.False(PasswordHash.Verify("", hash));
    }

    [Fact]
    public void The_same_password_hashes_differently_each_time()
    {
        Assert.NotEqual(PasswordHash.Create("same", 1000), PasswordHash.Create("same", 1000));
    }

    [Theory]
    [InlineData("plain-text-password")]
    [InlineData("pbkdf2-sha1$1000$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2-sha256$-5$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2-sha256$1000$not base64!$aGFzaA==")]
    public void A_malformed_hash_is_a_configuration_error_not_a_wrong_password(string encoded)
    {
        Assert.Throws<FormatException>(() => PasswordHash.Verify("anything", encoded));
    }

    [Fact]
    public void The_hash_password_command_prints_a_hash_of_the_line_it_reads()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = PasswordHashCommand.Run(new StringReader("typed password\n"), output, error, inputRedirected: true);
        Assert.Equal(0, exit);
        var hash = output.ToString().Trim();
        Assert.StartsWith($"pbkdf2-sha256${PasswordHash.DefaultIterations}$", hash);
        Assert.True(PasswordHash.Verify("typed password", hash));
    }

    [Fact]
    public void The_hash_password_command_refuses_an_empty_password()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, PasswordHashCommand.Run(new StringReader(""), output, error, inputRedirected: true));
        Assert.Contains("no password", error.ToString());
        Assert.Equal("", output.ToString());
    }
}
