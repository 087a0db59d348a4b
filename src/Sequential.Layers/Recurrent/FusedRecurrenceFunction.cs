using TorchSharp;
using static TorchSharp.torch;

namespace Sequential.Layers;

/// <summary>
/// The autograd node of a fused recurrence on Keras-layout weights. Forward makes a libtorch module holding copies of
/// the weights and runs it with gradients on detached copies of the inputs (an inner graph, kept in the context);
/// backward differentiates that inner graph and maps the weight gradients back to Keras's layout (the transposes, and
/// the GRU gate blocks swapped back). Inputs: kind, x, h0, c0 (null unless LSTM), kernel, recurrent kernel, bias (or null),
/// and whether the final states are returned too (when not, the node has one output, the sequence).
/// </summary>
internal sealed class FusedRecurrenceFunction : autograd.MultiTensorFunction<FusedRecurrenceFunction>
{
    private const string Key = "inner";

    /// <inheritdoc/>
    public override string Name => nameof(FusedRecurrenceFunction);

    /// <summary>The inner graph a forward leaves for its backward.</summary>
    private sealed class Inner
    {
        public required nn.Module Module;
        public required (Tensor Ih, Tensor Hh, Tensor? BiasIh, Tensor? BiasHh) Weights;
        public required Tensor[] Outputs;
        public required int Returned; // how many of Outputs the node returned (and so receives gradients for)
        public required Tensor?[] Leaves; // x, h0, c0 copies (null where absent)
        public required bool Gru;
        public required long Units;
        public required bool Bias2D;
    }

    /// <inheritdoc/>
    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var kind = (RecurrentKind)vars[0];
        var x = (Tensor)vars[1];
        var h0 = (Tensor)vars[2];
        var c0 = vars[3] as Tensor;
        var kernel = (Tensor)vars[4];
        var recurrentKernel = (Tensor)vars[5];
        var bias = vars[6] as Tensor;
        bool needStates = (bool)vars[7];
        // Unused outputs' gradients come as empty handles, filled with zeros by backward from the inner graph's own
        // outputs: TorchSharp would make them from a cache that lives in the forward's dispose scope, which a custom loop
        // may have closed by then (and an exception inside backward ends the process).
        ctx.set_materialize_grads(false);
        var module = FusedRecurrence.Create(kind, x, kernel, recurrentKernel, bias);
        Tensor?[] leaves = [Leaf(x), Leaf(h0), c0 is null ? null : Leaf(c0)];
        Tensor outputs;
        Tensor[] states;
        using (enable_grad())
            (outputs, states) = FusedRecurrence.Forward(kind, module, leaves[0]!, c0 is null ? [leaves[1]!] : [leaves[1]!, leaves[2]!]);
        // The inner graph must outlive the dispose scope of the forward (a custom loop may dispose it before backward):
        // its tensors leave the scope and are disposed by backward (or by the finalizers when backward never runs).
        var weights = FusedRecurrence.Weights(module);
        foreach (var t in leaves.Append(outputs).Concat(states).Concat([weights.Ih, weights.Hh, weights.BiasIh, weights.BiasHh]))
            t?.DetachFromDisposeScope();
        ctx.save_data(Key, new Inner
        {
            Module = module, Weights = weights, Outputs = [outputs, .. states], Returned = needStates ? 1 + states.Length : 1,
            Leaves = leaves, Gru = kind == RecurrentKind.Gru,
            Units = recurrentKernel.shape[0], Bias2D = bias?.dim() == 2,
        });
        return needStates ? [outputs.detach(), .. states.Select(s => s.detach())] : [outputs.detach()];

        static Tensor Leaf(Tensor t) => t.detach().requires_grad_(t.requires_grad);
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        var inner = (Inner)ctx.get_data(Key);
        var weights = inner.Weights;
        var sources = new List<Tensor>();
        var leafIndex = new int[3];
        for (int i = 0; i < 3; i++)
        {
            leafIndex[i] = -1;
            if (inner.Leaves[i] is { requires_grad: true } leaf) { leafIndex[i] = sources.Count; sources.Add(leaf); }
        }
        int weightStart = sources.Count;
        sources.Add(weights.Ih);
        sources.Add(weights.Hh);
        if (weights.BiasIh is not null) { sources.Add(weights.BiasIh); sources.Add(weights.BiasHh!); }
        var grads = new List<Tensor>();
        for (int i = 0; i < inner.Returned; i++)
            grads.Add(i < grad_outputs.Count && grad_outputs[i] is { IsInvalid: false } g ? g : zeros_like(inner.Outputs[i]));
        var found = autograd.grad(inner.Outputs[..inner.Returned], sources, grads, retain_graph: false, allow_unused: true);
        Tensor? At(int index) => index >= 0 && found[index] is { IsInvalid: false } g ? g : null;

        var gIh = At(weightStart);
        var gHh = At(weightStart + 1);
        Tensor? gBias = null;
        if (weights.BiasIh is not null)
        {
            var gbi = At(weightStart + 2);
            var gbh = At(weightStart + 3);
            if (inner.Bias2D)
                gBias = stack([FusedRecurrence.ToTorch(gbi ?? zeros_like(weights.BiasIh), inner.Units, inner.Gru),
                               FusedRecurrence.ToTorch(gbh ?? zeros_like(weights.BiasHh!), inner.Units, inner.Gru)]);
            else if (gbi is not null)
                gBias = FusedRecurrence.ToTorch(gbi, inner.Units, inner.Gru);
        }
        var result = new List<Tensor>
        {
            null!, // kind
            At(leafIndex[0])!,
            At(leafIndex[1])!,
            At(leafIndex[2])!,
            gIh is null ? null! : FusedRecurrence.ToTorch(gIh.t(), inner.Units, inner.Gru),
            gHh is null ? null! : FusedRecurrence.ToTorch(gHh.t(), inner.Units, inner.Gru),
            gBias!,
            null!, // needStates
        };
        inner.Module.Dispose();
        foreach (var t in inner.Leaves.Concat(inner.Outputs)) t?.Dispose();
        return result;
    }
}
