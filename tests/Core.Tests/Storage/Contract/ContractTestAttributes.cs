using Xunit.Abstractions;
using Xunit.Sdk;

namespace MusicSearch.Core.Tests.Storage.Contract;

/// <summary>
/// Marks a contract suite that needs a live server: when <see cref="Variable"/> is not set in the environment, every
/// <see cref="ContractFactAttribute"/> / <see cref="ContractTheoryAttribute"/> test of that class is reported as skipped,
/// with the reason, instead of passing without having run.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresEnvironmentAttribute(string variable) : Attribute
{
    public string Variable { get; } = variable;

    /// <summary>Why the tests of <paramref name="testClass"/> cannot run here, or null when they can.</summary>
    internal static string? SkipReason(ITypeInfo testClass) =>
        testClass.GetCustomAttributes(typeof(RequiresEnvironmentAttribute)).FirstOrDefault() is { } attribute
        && attribute.GetConstructorArguments().First() is string variable
        && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable))
            ? $"{variable} is not set: this suite needs a live server"
            : null;
}

/// <summary>A contract fact: skipped in suites whose <see cref="RequiresEnvironmentAttribute"/> is not met.</summary>
[XunitTestCaseDiscoverer("MusicSearch.Core.Tests.Storage.Contract.ContractFactDiscoverer", "MusicSearch.Core.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute;

/// <summary>A contract theory: skipped (one skipped case per theory) in suites whose <see cref="RequiresEnvironmentAttribute"/> is not met.</summary>
[XunitTestCaseDiscoverer("MusicSearch.Core.Tests.Storage.Contract.ContractTheoryDiscoverer", "MusicSearch.Core.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractTheoryAttribute : TheoryAttribute;

public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        RequiresEnvironmentAttribute.SkipReason(testMethod.TestClass.Class) is { } reason
            ? [Skipped(_sink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);

    internal static IXunitTestCase Skipped(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, string reason) =>
        new XunitSkippedDataRowTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, reason);
}

public sealed class ContractTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        RequiresEnvironmentAttribute.SkipReason(testMethod.TestClass.Class) is { } reason
            ? [ContractFactDiscoverer.Skipped(_sink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
