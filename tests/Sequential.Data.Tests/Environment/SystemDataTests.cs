using System.Reflection;
using System.Reflection.Emit;

namespace Sequential.Data.Tests;

public sealed class SystemDataTests
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>
    /// A test that needs system data must skip on a machine without it. NUnit 4.4 runs the test body even when an
    /// <c>Assume.That</c> in its <c>[SetUp]</c> fails, so a set-up method must skip with <c>Assert.Ignore</c>
    /// (<see cref="SystemData.Require"/>) instead; this scans the IL of every set-up method for calls to Assume.
    /// </summary>
    [Test]
    public void NoSetUpMethod_CallsAssume()
    {
        var offenders = typeof(SystemDataTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.IsDefined(typeof(SetUpAttribute)) || m.IsDefined(typeof(OneTimeSetUpAttribute)))
            .Where(m => CalledMethods(m).Any(c => c.DeclaringType == typeof(Assume)))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void Require_MissingFolder_SkipsNamingThePackage()
    {
        var skipped = Assert.Throws<IgnoreException>(() => SystemData.Require("/nonexistent/datasets/x", "dataset-x"))!;
        Assert.That(skipped.Message, Does.Contain("/nonexistent/datasets/x").And.Contain("apt install dataset-x"));
    }

    private static IEnumerable<MethodBase> CalledMethods(MethodInfo method)
    {
        byte[] il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            OpCode op = OpCodesByValue[value];
            i += op.Size;
            if (op.OperandType == OperandType.InlineMethod)
            {
                MethodBase? called = method.Module.ResolveMethod(BitConverter.ToInt32(il, i));
                if (called != null) yield return called;
            }
            i += OperandSize(op, il, i);
        }
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
